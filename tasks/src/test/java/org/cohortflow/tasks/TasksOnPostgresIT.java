package org.cohortflow.tasks;

import org.cohortflow.server.testing.TestDatabase;

/** The task service's contract on a real PostgreSQL server started for this class. */
class TasksOnPostgresIT extends TasksContract {
    TasksOnPostgresIT() {
        super(TestDatabase.postgres());
    }
}
