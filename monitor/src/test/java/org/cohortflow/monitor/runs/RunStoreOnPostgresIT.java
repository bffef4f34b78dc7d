package org.cohortflow.monitor.runs;

import org.cohortflow.server.testing.TestDatabase;

/** {@link RunStoreContract} on a real PostgreSQL started by the test. */
class RunStoreOnPostgresIT extends RunStoreContract {
    @Override
    TestDatabase databases() {
        return TestDatabase.postgres();
    }
}
