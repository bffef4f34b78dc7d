package org.cohortflow.server;

import org.cohortflow.server.testing.TestDatabase;

/** The kit's contract on a real PostgreSQL server started for this class. */
class KitOnPostgresIT extends KitContract {
    KitOnPostgresIT() {
        super(TestDatabase.postgres());
    }
}
