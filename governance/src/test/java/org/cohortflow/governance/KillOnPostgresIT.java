package org.cohortflow.governance;

import org.cohortflow.server.testing.TestDatabase;

/** kill -9 and restart of a governor on a real PostgreSQL. */
class KillOnPostgresIT extends KillContract {
    KillOnPostgresIT() {
        super(TestDatabase.postgres());
    }
}
