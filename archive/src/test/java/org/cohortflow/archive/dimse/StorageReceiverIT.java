package org.cohortflow.archive.dimse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.archive.testing.OrthancServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StorageReceiver} with a handler, with dcmtk's {@code storescu} as the independent sender: the handler
 * sees each complete file and the sender's AE title, and a handler that throws keeps the sender from hearing
 * success for that object.
 */
class StorageReceiverIT {
    private static final String SUCCESS = "Received Store Response (Success)";

    @Test
    void a_handler_gets_every_complete_file_with_the_calling_ae_title_and_each_is_acknowledged(@TempDir Path dir)
            throws Exception {
        List<Path> files = someCtFiles(3);
        List<String> senders = new CopyOnWriteArrayList<>();
        List<Path> handled = new CopyOnWriteArrayList<>();
        int port = OrthancServer.freePort();
        Path folder = dir.resolve("in");
        try (StorageReceiver receiver = new StorageReceiver(port, "RECEIVER", folder, StorageReceiver.Layout.HASHED_SUBFOLDERS,
                (file, callingAet) -> {
                    assertTrue(Files.size(file) > 0, "the file is complete when the handler sees it");
                    senders.add(callingAet);
                    handled.add(file);
                })) {
            String out = storescu(port, files);
            assertEquals(files.size(), count(out, SUCCESS), out);
            assertEquals(List.of("SITE1", "SITE1", "SITE1"), senders);
            for (Path f : handled) {
                assertTrue(f.startsWith(folder) && !f.getParent().equals(folder), "in a hashed subfolder: " + f);
            }
            assertThrows(IllegalStateException.class, receiver::received, "a receiver with a handler keeps no list");
        }
    }

    @Test
    void a_handler_that_throws_refuses_the_object_and_the_sender_hears_no_success_for_it(@TempDir Path dir)
            throws Exception {
        List<Path> files = someCtFiles(2);
        List<Path> accepted = new CopyOnWriteArrayList<>();
        List<Path> refused = new CopyOnWriteArrayList<>();
        int port = OrthancServer.freePort();
        try (StorageReceiver receiver = new StorageReceiver(port, "RECEIVER", dir.resolve("in"), StorageReceiver.Layout.SINGLE_FOLDER,
                (file, callingAet) -> {
                    if (accepted.isEmpty()) {
                        accepted.add(file);
                    } else {
                        refused.add(file);
                        throw new IOException("the spool is full");
                    }
                })) {
            // PixelMed leaves a refused association open until its own 60 s read timeout; storescu gives up waiting
            // for the answer after 30 s (-td) and for the release after 10 s (-ta), either way without a success.
            String out = storescu(port, files, "-td", "30", "-ta", "10");
            assertEquals(1, accepted.size(), out);
            // The handler sees the second object before storescu's wait for its answer begins; polled all the same.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (refused.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1, refused.size(), "the handler was asked about the second object:\n" + out);
            assertEquals(1, count(out, SUCCESS), "only the accepted object is acknowledged:\n" + out);
            assertNotEquals(-1, out.indexOf("Sending file: " + files.get(1)), "storescu tried the second file:\n" + out);
        }
    }

    private static List<Path> someCtFiles(int n) throws IOException {
        try (Stream<Path> s = Files.list(ArchiveTestData.stsDicom().resolve("STS_001/CT/image"))) {
            List<Path> all = s.filter(Files::isRegularFile).sorted().toList();
            assertTrue(all.size() >= n, "test data has " + n + " CT files");
            return all.subList(0, n);
        }
    }

    /** storescu -v sending the files in order on one association; its output (its exit status is not asserted). */
    private static String storescu(int port, List<Path> files, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-v", "-aet", "SITE1", "-aec", "RECEIVER", "-nh"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("127.0.0.1", Integer.toString(port)));
        files.forEach(f -> cmd.add(f.toString()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run storescu (Debian package dcmtk): " + e.getMessage(), e);
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("storescu did not finish within 120 s");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
