package org.cohortflow.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.cohortflow.server.auth.PasswordHasher;
import org.cohortflow.server.config.BootstrapAdmin;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.server.testing.HttpTestClient;

/** A governor started for a test on a given database, with an admin, a manager and a viewer. */
public final class GovernorFixture implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "root-password";
    public final Governor governor;
    public final HttpTestClient anonymous;
    public final HttpTestClient admin;
    public final HttpTestClient manager;
    public final HttpTestClient viewer;

    public GovernorFixture(DatabaseSettings db, Path dataDir) {
        this(config(db, dataDir, 0));
    }

    public GovernorFixture(ServiceConfig config) {
        governor = Governor.start(config, new PrintStream(new ByteArrayOutputStream()), Clock.systemUTC(), new PasswordHasher(4));
        anonymous = HttpTestClient.anonymous(governor.baseUri());
        admin = anonymous.withPassword("root", ADMIN_PASSWORD);
        manager = anonymous.withToken(userToken("mona", "manager"));
        viewer = anonymous.withToken(userToken("vic", "viewer"));
    }

    public static ServiceConfig config(DatabaseSettings db, Path dataDir, int port) {
        return new ServiceConfig("governor", "127.0.0.1", port, dataDir, db, new BootstrapAdmin("root", ADMIN_PASSWORD), null, Map.of());
    }

    private String userToken(String name, String role) {
        if (admin.get("/api/v1/users").json().findValuesAsText("name").contains(name)) {
            HttpTestClient.Response t = anonymous.withPassword(name, "secret-pass").post("/api/v1/tokens", "{\"label\":\"test\"}");
            return t.json().get("value").asText();
        }
        HttpTestClient.Response r = admin.post("/api/v1/users", "{\"name\":\"" + name + "\",\"password\":\"secret-pass\",\"roles\":[\"" + role + "\"]}");
        assertEquals(201, r.status(), r.toString());
        HttpTestClient.Response t = anonymous.withPassword(name, "secret-pass").post("/api/v1/tokens", "{\"label\":\"test\"}");
        assertEquals(201, t.status(), t.toString());
        return t.json().get("value").asText();
    }

    /** Stores a workflow and creates a study using it. */
    public void studyWithWorkflow(String study, String yaml) {
        HttpTestClient.Response w = manager.post("/api/v1/workflows", "{\"yaml\":" + HttpTestClient.quote(yaml) + "}");
        assertEquals(201, w.status(), w.toString());
        String name = w.json().get("name").asText();
        HttpTestClient.Response s = manager.post("/api/v1/studies", "{\"name\":\"" + study + "\",\"workflow\":\"" + name + "\"}");
        assertEquals(201, s.status(), s.toString());
    }

    /** Creates an experiment and returns its id. */
    public long experiment(String study, String subject, String label) {
        HttpTestClient.Response r = manager.post("/api/v1/experiments",
                "{\"study\":\"" + study + "\",\"subject\":\"" + subject + "\",\"label\":\"" + label + "\"}");
        assertEquals(201, r.status(), r.toString());
        return r.json().at("/experiment/id").asLong();
    }

    public String state(long experiment) {
        return viewer.get("/api/v1/experiments/" + experiment).json().get("state").asText();
    }

    /** Waits until the experiment is in {@code state}; fails with its history otherwise. */
    public void awaitState(long experiment, String state, Duration within) {
        await(() -> state.equals(state(experiment)), within, () -> "experiment " + experiment + " is in '" + state(experiment)
                + "', not '" + state + "'; callbacks: " + viewer.get("/api/v1/experiments/" + experiment + "/callbacks").body()
                + "; audit: " + admin.get("/api/v1/audit?target=experiment/" + experiment).body());
    }

    public static void await(BooleanSupplier condition, Duration within, java.util.function.Supplier<String> message) {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        if (!condition.getAsBoolean()) {
            throw new AssertionError(message.get());
        }
    }

    @Override
    public void close() {
        governor.close();
    }
}
