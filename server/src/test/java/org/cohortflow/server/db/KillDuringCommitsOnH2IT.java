package org.cohortflow.server.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cohortflow.server.config.DatabaseSettings;
import org.cohortflow.server.testing.ServiceJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kit's default H2 file database keeps every commit that returned when its JVM is killed with SIGKILL while
 * many threads commit at once (the case of a service, or of the demo's four services in one JVM), and fails no
 * commit when committing threads are interrupted (with H2's default {@code file:} access, an interrupt of a
 * committing thread closed the file and with it the whole database, within the first few dozen commits).
 */
class KillDuringCommitsOnH2IT {
    private static final int THREADS = 8;
    private static final int COMMITS_BEFORE_KILL = 4000;
    /** Long enough for many interrupts and for H2 to write hundreds of chunks. */
    private static final long KILL_AFTER_SECONDS = 20;
    private static final Pattern COMMITTED = Pattern.compile("^COMMITTED (\\d+) (\\d+)$", Pattern.MULTILINE);

    @Test
    void everyCommitThatReturnedBeforeKillNineIsInTheDatabaseAfterReopening(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Map<Integer, Integer> promised;
        try (ServiceJvm child = ServiceJvm.start("committing child", List.of(CommittingChild.class.getName(),
                data.toString(), Integer.toString(THREADS), "50"), "READY ", Duration.ofMinutes(2), dir.resolve("child.log"))) {
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            long started = System.nanoTime();
            while (!child.output().contains("FAILED ") && count(child.output()) < COMMITS_BEFORE_KILL
                    || System.nanoTime() - started < Duration.ofSeconds(KILL_AFTER_SECONDS).toNanos()) {
                assertTrue(System.nanoTime() < deadline, () -> "the child did not commit " + COMMITS_BEFORE_KILL
                        + " times within 5 minutes: " + tail(child.output()));
                Thread.sleep(200);
            }
            child.kill9();
            assertFalse(child.output().contains("FAILED "), () -> "a commit failed: " + failures(child.output()));
            promised = lastCommitted(child.output());
        }
        assertEquals(THREADS, promised.size(), "every thread announced commits");
        try (Database db = Database.open(DatabaseSettings.h2File(data), "killtest", null, 2)) {
            for (Map.Entry<Integer, Integer> e : promised.entrySet()) {
                int thread = e.getKey();
                int last = e.getValue();
                int state = db.withHandle(h -> h.createQuery("SELECT n FROM thread_state WHERE thread = ?")
                        .bind(0, thread).mapTo(Integer.class).one());
                int rows = db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM step_row WHERE thread = ? AND n <= ?")
                        .bind(0, thread).bind(1, last).mapTo(Integer.class).one());
                assertTrue(state >= last, "thread " + thread + " announced its commit " + last
                        + " before the kill, but its state row says " + state + " after reopening");
                assertEquals(last, rows, "thread " + thread + "'s rows 1.." + last + " after reopening");
            }
        }
    }

    private static int count(String output) {
        int n = 0;
        Matcher m = COMMITTED.matcher(output);
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static Map<Integer, Integer> lastCommitted(String output) {
        Map<Integer, Integer> last = new HashMap<>();
        Matcher m = COMMITTED.matcher(output);
        while (m.find()) {
            last.merge(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Math::max);
        }
        return last;
    }

    private static String failures(String output) {
        StringBuilder b = new StringBuilder();
        output.lines().filter(l -> !l.startsWith("COMMITTED ")).limit(20).forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }

    private static String tail(String output) {
        return output.length() <= 4000 ? output : output.substring(output.length() - 4000);
    }
}
