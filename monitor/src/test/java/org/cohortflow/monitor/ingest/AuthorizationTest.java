package org.cohortflow.monitor.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.cohortflow.monitor.MonitorFixture;
import org.cohortflow.server.audit.AuditEntry;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may change what: every mutating endpoint refuses callers without credentials (401), with wrong ones
 * (401) and viewers (403), accepts a manager's token and writes an audit entry for the change.
 */
class AuthorizationTest {
    @TempDir
    Path data;

    static final String START = "{\"name\": \"r\", \"network\": {\"id\": \"n\", \"sources\": [], \"nodes\": [{\"id\": \"a\"}], "
            + "\"sinks\": []}, \"executor\": null, \"runDir\": null, \"host\": null, \"startedAt\": null}";

    /** One mutating request, what the manager gets, and the audit action it must leave. */
    record Row(String method, String path, String body, int managerStatus, String auditAction, String auditTarget) {}

    @Test
    void every_mutating_endpoint_needs_a_manager_and_leaves_an_audit_entry() {
        List<Row> table = List.of(
                new Row("PUT", "/api/v1/runs/k1", START, 201, "run.start", "run/k1"),
                new Row("POST", "/api/v1/runs/k1/batches", "{\"seq\": 1, \"dropped\": 0, \"events\": []}", 200, "run.events", "run/k1"),
                new Row("DELETE", "/api/v1/runs/k1", null, 204, "run.delete", "run/k1"),
                new Row("PUT", "/api/v1/runs/k2", START, 201, "run.start", "run/k2"),
                new Row("POST", "/api/v1/runs/k2/batches", "{\"seq\": 1, \"dropped\": 0, \"events\": [{\"time\": 1, \"type\": "
                        + "\"run-finished\", \"node\": null, \"sample\": null, \"state\": \"succeeded\", \"detail\": null}]}",
                        200, "run.events", "run/k2"),
                new Row("POST", "/api/v1/purge", "{\"olderThanDays\": 0}", 200, "run.purge", "run/k2"));
        try (TestDatabase dbs = TestDatabase.h2(); MonitorFixture m = MonitorFixture.start(dbs.fresh(), data)) {
            List<Function<MonitorFixture, HttpTestClient>> refused = List.of(MonitorFixture::anonymous,
                    f -> f.anonymous().withToken("not-a-token"), MonitorFixture::viewer);
            List<Integer> expected = List.of(401, 401, 403);
            List<String> problems = new ArrayList<>();
            for (Row row : table) {
                for (int i = 0; i < refused.size(); i++) {
                    HttpTestClient.Response r = refused.get(i).apply(m).send(row.method(), row.path(), row.body(), null);
                    if (r.status() != expected.get(i)) {
                        problems.add(row.method() + " " + row.path() + " as caller " + i + ": " + r);
                    }
                }
                HttpTestClient.Response ok = m.reporter().send(row.method(), row.path(), row.body(), null);
                if (ok.status() != row.managerStatus()) {
                    problems.add(row.method() + " " + row.path() + " as manager: " + ok);
                }
                List<AuditEntry> audit = m.service().kit().database().withHandle(h ->
                        m.service().kit().audit().list(h, row.auditTarget(), 50, 0));
                if (audit.stream().noneMatch(a -> a.action().equals(row.auditAction()) && a.actor().equals("reporter"))) {
                    problems.add(row.method() + " " + row.path() + ": no audit entry " + row.auditAction() + " by reporter in " + audit);
                }
            }
            assertEquals(List.of(), problems);
        }
    }

    @Test
    void every_mutating_operation_the_monitor_serves_is_in_the_table_above_or_the_kits() {
        try (TestDatabase dbs = TestDatabase.h2(); MonitorFixture m = MonitorFixture.start(dbs.fresh(), data)) {
            HttpTestClient.Response doc = m.anonymous().get("/openapi.json");
            assertEquals(200, doc.status());
            List<String> mutating = new ArrayList<>();
            doc.json().get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(method -> {
                if (!method.equals("get") && p.getKey().startsWith("/api/v1/") && !p.getKey().startsWith("/api/v1/users")
                        && !p.getKey().startsWith("/api/v1/tokens") && !p.getKey().startsWith("/api/v1/me")) {
                    mutating.add(method.toUpperCase() + " " + p.getKey());
                }
            }));
            mutating.sort(null);
            assertEquals(List.of("DELETE /api/v1/runs/{key}", "POST /api/v1/purge", "POST /api/v1/runs/{key}/batches",
                    "PUT /api/v1/runs/{key}"), mutating);
        }
    }

    @Test
    void viewers_read_runs_and_strangers_do_not() {
        try (TestDatabase dbs = TestDatabase.h2(); MonitorFixture m = MonitorFixture.start(dbs.fresh(), data)) {
            m.reporter().put("/api/v1/runs/k", START);
            assertEquals(200, m.viewer().get("/api/v1/runs").status());
            assertEquals(200, m.viewer().get("/api/v1/runs/k/snapshot").status());
            assertEquals(401, m.anonymous().get("/api/v1/runs").status());
            assertEquals(401, m.anonymous().get("/api/v1/runs/k/snapshot").status());
            HttpTestClient.Response page = m.anonymous().get("/runs/k");
            assertEquals(303, page.status(), "a browser without a session is sent to the login form");
        }
    }
}
