package org.cohortflow.monitor.runs;

import org.cohortflow.server.testing.TestDatabase;

/** {@link RunStoreContract} on an H2 file database. */
class RunStoreOnH2Test extends RunStoreContract {
    @Override
    TestDatabase databases() {
        return TestDatabase.h2();
    }
}
