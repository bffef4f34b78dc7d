package org.cohortflow.server;

import org.cohortflow.server.testing.TestDatabase;

/** The kit's contract on an H2 file database. */
class KitOnH2Test extends KitContract {
    KitOnH2Test() {
        super(TestDatabase.h2());
    }
}
