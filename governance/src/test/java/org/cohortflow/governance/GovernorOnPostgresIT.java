package org.cohortflow.governance;

import org.cohortflow.server.testing.TestDatabase;

/** The governor's contract on a real PostgreSQL server started for this class. */
class GovernorOnPostgresIT extends GovernorContract {
    GovernorOnPostgresIT() {
        super(TestDatabase.postgres());
    }
}
