package org.cohortflow.governance;

import org.cohortflow.server.testing.TestDatabase;

/** kill -9 and restart of a governor on an H2 file database. */
class KillOnH2IT extends KillContract {
    KillOnH2IT() {
        super(TestDatabase.h2());
    }
}
