package org.cohortflow.server.db;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.cohortflow.server.config.DatabaseSettings;

/**
 * A JVM that commits as fast as it can from many threads into the kit's default H2 file database and prints
 * {@code COMMITTED <thread> <n>} after each commit returned, so that a test can kill it with SIGKILL and then
 * check that every commit it announced is in the database. Each commit inserts a row and moves the thread's
 * own state row forward, as a service's state transitions do. Meanwhile it interrupts a random committing
 * thread now and then, as a service's {@code shutdownNow} or a cancelled task does. A commit that fails is
 * printed as {@code FAILED <thread> <n> <error>} and ends that thread: the kit's database must not fail one.
 */
public final class CommittingChild {
    private CommittingChild() {
    }

    /** Arguments: the data folder, the number of committing threads, milliseconds between interrupts. Runs until killed. */
    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int interruptEvery = Integer.parseInt(args[2]);
        Database db = Database.open(DatabaseSettings.h2File(dataDir), "killtest", null, threads + 2);
        db.useTransaction(h -> {
            h.execute("CREATE TABLE IF NOT EXISTS step_row (thread INT NOT NULL, n INT NOT NULL, payload VARCHAR(200), PRIMARY KEY (thread, n))");
            h.execute("CREATE TABLE IF NOT EXISTS thread_state (thread INT PRIMARY KEY, n INT NOT NULL)");
        });
        for (int t = 0; t < threads; t++) {
            int thread = t;
            db.useTransaction(h -> h.execute("MERGE INTO thread_state KEY (thread) VALUES (?, 0)", thread));
        }
        System.out.println("READY " + dataDir.toUri());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread w = new Thread(() -> commitForever(db, thread), "committer-" + t);
            workers.add(w);
            w.start();
        }
        Random random = new Random(1);
        while (true) {
            Thread.sleep(interruptEvery);
            workers.get(random.nextInt(workers.size())).interrupt();
        }
    }

    private static void commitForever(Database db, int thread) {
        for (int n = 1; ; n++) {
            int step = n;
            try {
                db.useTransaction(h -> {
                    h.execute("INSERT INTO step_row (thread, n, payload) VALUES (?, ?, ?)", thread, step,
                            "step " + step + " of thread " + thread + " ".repeat(step % 100));
                    h.execute("UPDATE thread_state SET n = ? WHERE thread = ?", step, thread);
                });
            } catch (RuntimeException e) {
                synchronized (System.out) {
                    System.out.println("FAILED " + thread + " " + step + " " + e);
                }
                return;
            }
            Thread.interrupted(); // an interrupt is the test's, not a request to stop
            // Printed only after the commit returned: the promise the test checks after kill -9.
            synchronized (System.out) {
                System.out.println("COMMITTED " + thread + " " + step);
            }
        }
    }
}
