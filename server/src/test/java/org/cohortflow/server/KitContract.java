package org.cohortflow.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.cohortflow.dsl.BuildVersion;
import org.cohortflow.server.auth.PasswordHasher;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.config.BootstrapAdmin;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.server.http.Api;
import org.cohortflow.server.http.ApiError;
import org.cohortflow.server.http.InvalidFieldException;
import org.cohortflow.server.http.ServiceServer;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server kit's behaviour, written once and run on H2 and on PostgreSQL by the subclasses: users,
 * passwords, tokens, roles (401 vs 403), the audit log written with each change, and the strict JSON
 * error answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KitContract {
    private final TestDatabase databases;
    private ServiceKit kit;
    private ServiceServer server;
    private HttpTestClient anonymous;
    private HttpTestClient admin;
    private String printed;
    @TempDir
    Path data;

    KitContract(TestDatabase databases) {
        this.databases = databases;
    }

    /** A thing a demo endpoint creates; its constructor names the bad field. */
    record Thing(String name, int count) {
        Thing {
            InvalidFieldException.requireText(name, "name");
            if (count < 0) {
                throw new InvalidFieldException("count", "'count' must not be negative");
            }
        }
    }

    @BeforeEach
    void start() {
        ServiceConfig config = new ServiceConfig("kittest", "127.0.0.1", 0, data, databases.fresh(),
                new BootstrapAdmin("root", "root-password"), null, Map.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        kit = ServiceKit.open(config, "db/kittest", new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC(),
                new PasswordHasher(4));
        printed = out.toString(StandardCharsets.UTF_8);
        server = kit.serve("test", api -> api.post("/api/v1/things", Role.MANAGER, "Create a thing", Thing.class, ctx -> {
            Thing t = api.body(ctx, Thing.class);
            kit.database().useTransaction(h -> {
                h.createUpdate("INSERT INTO thing (name) VALUES (:n)").bind("n", t.name()).execute();
                kit.audit().record(h, Api.caller(ctx).name(), "thing.create", "thing/" + t.name(), null);
            });
            ctx.status(201).json(t);
        }));
        anonymous = HttpTestClient.anonymous(server.baseUri());
        admin = anonymous.withPassword("root", "root-password");
    }

    @AfterEach
    void stop() {
        server.close();
        kit.close();
    }

    @AfterAll
    void closeDatabases() {
        databases.close();
    }

    private String createUserWithToken(String name, String role) {
        HttpTestClient.Response made = admin.post("/api/v1/users",
                "{\"name\":\"" + name + "\",\"password\":\"secret-pass\",\"roles\":[\"" + role + "\"]}");
        assertEquals(201, made.status(), made.toString());
        HttpTestClient.Response token = anonymous.withPassword(name, "secret-pass").post("/api/v1/tokens", "{\"label\":\"ci\"}");
        assertEquals(201, token.status(), token.toString());
        return token.json().get("value").asText();
    }

    @Test
    void health_answers_ok_and_openapi_lists_every_endpoint_with_its_role() {
        HttpTestClient.Response h = anonymous.get("/health");
        assertEquals(200, h.status());
        assertEquals("ok", h.json().get("status").asText());
        JsonNode doc = anonymous.get("/openapi.json").json();
        assertEquals("3.0.3", doc.get("openapi").asText());
        assertEquals("admin", doc.at("/paths/~1api~1v1~1users/post/x-required-role").asText());
        assertEquals("manager", doc.at("/paths/~1api~1v1~1things/post/x-required-role").asText());
        assertEquals("integer", doc.at("/paths/~1api~1v1~1things/post/requestBody/content/application~1json/schema/properties/count/type").asText());
    }

    @Test
    void a_service_served_without_a_version_of_its_own_shows_the_builds_in_its_openapi_document() {
        server.close();
        server = kit.serve(api -> { });
        JsonNode doc = HttpTestClient.anonymous(server.baseUri()).get("/openapi.json").json();
        assertEquals(BuildVersion.version(), doc.at("/info/version").asText(), doc.get("info").toString());
    }

    @Test
    void the_service_migrations_run_beside_the_kit_tables_and_a_restart_migrates_nothing_twice() {
        assertEquals(201, admin.post("/api/v1/things", "{\"name\":\"a\",\"count\":1}").status());
        server.close();
        kit.close();
        ServiceConfig again = kit.config();
        kit = ServiceKit.open(again, "db/kittest", new PrintStream(new ByteArrayOutputStream()), Clock.systemUTC(), new PasswordHasher(4));
        server = kit.serve("test", api -> { });
        int things = kit.database().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM thing").mapTo(Integer.class).one());
        assertEquals(1, things);
    }

    @Test
    void the_bootstrap_admin_from_configuration_exists_and_no_password_is_printed() {
        assertFalse(printed.contains("password"), printed);
        assertEquals(200, admin.get("/api/v1/users").status());
    }

    @Test
    void missing_or_wrong_credentials_give_401_and_a_lacking_role_gives_403() {
        String viewer = createUserWithToken("vera", "viewer");
        String body = "{\"name\":\"a\",\"count\":1}";
        assertEquals(401, anonymous.post("/api/v1/things", body).status());
        assertEquals(401, anonymous.withPassword("root", "wrong-password").post("/api/v1/things", body).status());
        assertEquals(401, anonymous.withToken("cft_not-a-token").post("/api/v1/things", body).status());
        HttpTestClient.Response forbidden = anonymous.withToken(viewer).post("/api/v1/things", body);
        assertEquals(403, forbidden.status());
        assertTrue(forbidden.json().get("error").asText().contains("manager"), forbidden.toString());
        String manager = createUserWithToken("max", "manager");
        assertEquals(201, anonymous.withToken(manager).post("/api/v1/things", body).status());
        assertEquals(403, anonymous.withToken(manager).get("/api/v1/users").status());
    }

    @Test
    void a_revoked_token_and_a_disabled_user_stop_working() {
        String token = createUserWithToken("tom", "manager");
        HttpTestClient tom = anonymous.withToken(token);
        assertEquals(200, tom.get("/api/v1/tokens").status());
        long id = tom.get("/api/v1/tokens").json().get(0).get("id").asLong();
        assertEquals(204, tom.delete("/api/v1/tokens/" + id).status());
        assertEquals(401, tom.get("/api/v1/tokens").status());
        assertEquals(200, anonymous.withPassword("tom", "secret-pass").get("/api/v1/tokens").status());
        assertEquals(200, admin.patch("/api/v1/users/tom", "{\"disabled\":true}").status());
        assertEquals(401, anonymous.withPassword("tom", "secret-pass").get("/api/v1/tokens").status());
    }

    @Test
    void every_change_is_in_the_audit_log_with_who_did_it() {
        String manager = createUserWithToken("mia", "manager");
        anonymous.withToken(manager).post("/api/v1/things", "{\"name\":\"x1\",\"count\":3}");
        JsonNode log = admin.get("/api/v1/audit").json();
        assertEquals("thing.create", log.get(0).get("action").asText());
        assertEquals("mia", log.get(0).get("actor").asText());
        assertEquals("thing/x1", log.get(0).get("target").asText());
        JsonNode userLog = admin.get("/api/v1/audit?target=user/mia").json();
        assertTrue(userLog.findValuesAsText("action").contains("user.create"), userLog.toString());
        assertTrue(userLog.findValuesAsText("action").contains("token.create"), userLog.toString());
        assertEquals("root", userLog.get(userLog.size() - 1).get("actor").asText());
    }

    @Test
    void an_audit_entry_rolls_back_with_the_change_it_records() {
        int before = kit.database().withHandle(h -> kit.audit().list(h, null, 1000, 0).size());
        assertThrows(IllegalStateException.class, () -> kit.database().useTransaction(h -> {
            kit.audit().record(h, "someone", "thing.create", "thing/y", null);
            throw new IllegalStateException("the change failed");
        }));
        int after = kit.database().withHandle(h -> kit.audit().list(h, null, 1000, 0).size());
        assertEquals(before, after);
    }

    @Test
    void bad_json_is_a_400_naming_the_field() {
        HttpTestClient.Response malformed = admin.post("/api/v1/things", "{\"name\":");
        assertEquals(400, malformed.status());
        assertTrue(malformed.json().get("error").asText().startsWith("malformed JSON"), malformed.toString());
        HttpTestClient.Response unknown = admin.post("/api/v1/things", "{\"name\":\"a\",\"count\":1,\"colour\":\"red\"}");
        assertEquals(400, unknown.status());
        assertEquals("colour", unknown.json().get("field").asText());
        HttpTestClient.Response wrongType = admin.post("/api/v1/things", "{\"name\":\"a\",\"count\":\"three\"}");
        assertEquals(400, wrongType.status());
        assertEquals("count", wrongType.json().get("field").asText());
        HttpTestClient.Response textAsNumber = admin.post("/api/v1/things", "{\"name\":5,\"count\":1}");
        assertEquals(400, textAsNumber.status());
        assertEquals("name", textAsNumber.json().get("field").asText());
        HttpTestClient.Response missing = admin.post("/api/v1/things", "{\"count\":1}");
        assertEquals(400, missing.status());
        assertEquals("name", missing.json().get("field").asText());
        HttpTestClient.Response negative = admin.post("/api/v1/things", "{\"name\":\"a\",\"count\":-1}");
        assertEquals("count", negative.json().get("field").asText());
        HttpTestClient.Response roles = admin.post("/api/v1/users", "{\"name\":\"z\",\"password\":\"secret-pass\",\"roles\":[\"king\"]}");
        assertEquals(400, roles.status());
        assertEquals("roles", roles.json().get("field").asText());
        assertEquals(404, admin.get("/api/v1/nothing").status());
        assertTrue(admin.get("/api/v1/nothing").json().get("error").asText().contains("not found"));
    }

    @Test
    void an_error_thrown_as_api_error_keeps_its_status() {
        assertEquals(409, new ApiError(409, "x", null).status());
        HttpTestClient.Response dup = admin.post("/api/v1/users", "{\"name\":\"root\",\"password\":\"secret-pass\",\"roles\":[\"viewer\"]}");
        assertEquals(409, dup.status(), dup.toString());
    }

    @Test
    void a_browser_logs_in_with_the_form_and_gets_a_session_cookie() {
        HttpTestClient.Response r = anonymous.send("POST", "/login", null, null);
        assertEquals(401, r.status());
        java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient();
        try {
            var resp = c.send(java.net.http.HttpRequest.newBuilder(server.baseUri().resolve("/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("name=root&password=root-password&next=/api/v1/users"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(303, resp.statusCode());
            String cookie = resp.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
            var users = c.send(java.net.http.HttpRequest.newBuilder(server.baseUri().resolve("/api/v1/users"))
                    .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, users.statusCode(), users.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
