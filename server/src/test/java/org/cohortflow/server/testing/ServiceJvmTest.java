package org.cohortflow.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child-JVM launcher itself, with a tiny child instead of a service. */
class ServiceJvmTest {
    /** The child: {@code ready} prints a line, then its ready line, and waits; {@code fail} prints why and exits 3. */
    public static final class Child {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("starting up");
            if (args[0].equals("fail")) {
                System.out.println("cannot start: port in use");
                System.exit(3);
            }
            System.out.println("READY http://127.0.0.1:9/ (and some words after it)");
            System.out.flush();
            Thread.currentThread().join();
        }
    }

    @Test
    void a_child_that_prints_its_ready_line_is_started_with_its_uri_and_dies_by_kill_9(@TempDir Path dir) throws Exception {
        try (ServiceJvm child = ServiceJvm.start("child", List.of("-Xmx64m", Child.class.getName(), "ready"), "READY ",
                Duration.ofMinutes(2), dir.resolve("child.log"))) {
            assertEquals(URI.create("http://127.0.0.1:9/"), child.baseUri());
            assertTrue(child.output().contains("starting up"), child.output());
            child.kill9();
        }
    }

    @Test
    void a_child_that_ends_before_it_is_ready_fails_the_start_with_what_it_printed(@TempDir Path dir) {
        AssertionError e = assertThrows(AssertionError.class, () -> ServiceJvm.start("child",
                List.of("-Xmx64m", Child.class.getName(), "fail"), "READY ", Duration.ofMinutes(2), dir.resolve("child.log")));
        assertTrue(e.getMessage().contains("'child' closed its output (ended) before it was ready") && e.getMessage().contains("cannot start: port in use"),
                e.getMessage());
    }
}
