package org.cohortflow.governance;

import java.nio.file.Path;
import java.time.Clock;
import org.cohortflow.server.auth.PasswordHasher;
import org.cohortflow.server.config.ServiceConfig;

/** A governor in its own JVM, for tests that kill it with {@code kill -9}: {@code ChildGovernor CONFIG.yaml}. */
public final class ChildGovernor {
    private ChildGovernor() {}

    public static void main(String[] args) throws Exception {
        ServiceConfig config = ServiceConfig.load(Path.of(args[0]), "governor");
        Governor g = Governor.start(config, System.out, Clock.systemUTC(), new PasswordHasher(4));
        System.out.println("READY " + g.baseUri());
        System.out.flush();
        Thread.currentThread().join();
    }
}
