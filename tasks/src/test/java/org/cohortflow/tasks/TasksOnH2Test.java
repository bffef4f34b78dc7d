package org.cohortflow.tasks;

import org.cohortflow.server.testing.TestDatabase;

/** The task service's contract on an H2 file database. */
class TasksOnH2Test extends TasksContract {
    TasksOnH2Test() {
        super(TestDatabase.h2());
    }
}
