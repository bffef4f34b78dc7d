package org.cohortflow.intake.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.archive.testing.OrthancServer;
import org.cohortflow.intake.IntakeService;
import org.cohortflow.intake.queue.ObjectState;
import org.cohortflow.intake.testing.IntakeFixture;
import org.cohortflow.intake.testing.IntakeTestData;
import org.cohortflow.server.config.ServiceConfig;
import org.cohortflow.server.testing.HttpTestClient;
import org.cohortflow.server.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The intake on a real PostgreSQL: objects arrive over STOW-RS (authenticated) and through the watched folder,
 * non-DICOM and truncated inputs end in quarantine, bad requests are 4xx naming the field.
 */
class StowAndFolderOnPostgresIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void stowAndTheWatchedFolderFeedTheQueueOnPostgresAndBadInputsAreRefusedOrQuarantined(@TempDir Path tmp) throws Exception {
        List<Path> ct = IntakeTestData.files(ArchiveTestData.ctPhantomDicom().resolve("image"));
        Path profile = IntakeTestData.profile(tmp);
        Path drop = tmp.resolve("drop");
        try (PostgresServer pg = PostgresServer.start()) {
            ServiceConfig base = IntakeFixture.config(tmp.resolve("intake"), profile, OrthancServer.freePort(), null,
                    pg.createDatabase());
            Map<String, Object> settings = new HashMap<>(base.settings());
            settings.put("watch", drop.toString());
            settings.put("maxObjectMegabytes", "1");
            try (IntakeService.Running intake = new IntakeService().start(base.withSettings(settings))) {
                String boundary = "b-" + System.nanoTime();
                byte[] good = multipart(boundary, List.of(Files.readAllBytes(ct.get(0)), Files.readAllBytes(ct.get(1)),
                        "this is not DICOM".getBytes(StandardCharsets.US_ASCII)), true);
                HttpResponse<String> r = stow(intake.baseUri(), boundary, good, "admin:" + IntakeFixture.ADMIN_PASSWORD);
                assertEquals(200, r.statusCode(), r.body());
                assertTrue(r.body().contains("\"stored\":3"), r.body());

                assertEquals(401, stow(intake.baseUri(), boundary, good, null).statusCode());
                HttpResponse<String> wrongType = send(HttpRequest.newBuilder(intake.baseUri().resolve("/dicomweb/studies"))
                        .header("Authorization", basic("admin:" + IntakeFixture.ADMIN_PASSWORD))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
                assertEquals(400, wrongType.statusCode());
                assertTrue(wrongType.body().contains("Content-Type"), wrongType.body());
                byte[] truncated = multipart(boundary, List.of(Files.readAllBytes(ct.get(2))), false);
                HttpResponse<String> cut = stow(intake.baseUri(), boundary, truncated, "admin:" + IntakeFixture.ADMIN_PASSWORD);
                assertEquals(400, cut.statusCode(), cut.body());
                assertTrue(cut.body().contains("\"field\":\"body\""), cut.body());
                byte[] huge = multipart(boundary, List.of(new byte[2 * 1024 * 1024]), true);
                assertEquals(413, stow(intake.baseUri(), boundary, huge, "admin:" + IntakeFixture.ADMIN_PASSWORD).statusCode());

                // The watched folder: two CT files and a truncated copy of a third.
                Files.createDirectories(drop.resolve("site"));
                Files.copy(ct.get(3), drop.resolve("site/a.dcm"));
                Files.copy(ct.get(4), drop.resolve("site/b.dcm"));
                byte[] whole = Files.readAllBytes(ct.get(5));
                Files.write(drop.resolve("site/cut.dcm"), java.util.Arrays.copyOf(whole, whole.length / 2));

                IntakeFixture.await("four forwarded, two quarantined", 120, () -> intake.count(ObjectState.FORWARDED) == 4
                        && intake.count(ObjectState.QUARANTINED) == 2);
                IntakeFixture.await("the drop folder emptied", 30, () -> {
                    try {
                        return IntakeTestData.files(drop).isEmpty();
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
                JsonNode q = HttpTestClient.anonymous(intake.baseUri()).withPassword("admin", IntakeFixture.ADMIN_PASSWORD)
                        .get("/api/v1/quarantine").json();
                assertEquals(2, q.size(), q.toString());
                q.forEach(o -> assertEquals("NOT_DICOM", o.get("reason").asText(), o.toString()));
                assertEquals(4, IntakeTestData.files(tmp.resolve("intake/store")).size());
            }
        }
    }

    private HttpResponse<String> stow(URI base, String boundary, byte[] body, String credentials) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/dicomweb/studies"))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (credentials != null) {
            b.header("Authorization", basic(credentials));
        }
        return send(b.build());
    }

    private HttpResponse<String> send(HttpRequest r) throws Exception {
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] multipart(String boundary, List<byte[]> parts, boolean close) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(p);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        if (close) {
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }
}
