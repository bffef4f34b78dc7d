package org.cohortflow.governance;

import org.cohortflow.server.testing.TestDatabase;

/** The governor's contract on an H2 file database. */
class GovernorOnH2Test extends GovernorContract {
    GovernorOnH2Test() {
        super(TestDatabase.h2());
    }
}
