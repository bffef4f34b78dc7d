package org.cohortflow.executors.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.parquet.column.Encoding;

/**
 * Starts a class's {@code main} in a JVM of its own, as a second run on another day would, and gives that
 * JVM different identity hash codes from this one.
 *
 * <p>Why the hash codes: a JVM hands out identity hash codes from a per-thread generator, so which codes
 * the enum constants of a library get depends on everything that ran before them. Libraries that keep
 * enums in a {@code HashSet} (parquet-mr keeps a column chunk's encodings so) then order them differently
 * from one run to the next; in a busy run that happens by chance, in a small test JVM it never does. A
 * child started by {@link #run} first draws a given number of identity hash codes and then fixes those of
 * parquet's {@link Encoding} constants, so each child is repeatable but differs from its siblings.
 */
public final class OtherJvm {
    private OtherJvm() {}

    /**
     * Runs {@code main} of {@code mainClass} in a new JVM with this JVM's class path and options, after
     * shifting its identity hash codes by {@code shift}; fails unless it exits 0 within two minutes.
     */
    public static void run(Class<?> mainClass, int shift, Path log, String... args) throws IOException, InterruptedException {
        int exit = exitCode(List.of(), mainClass, shift, log, args);
        if (exit != 0) {
            throw new AssertionError(mainClass.getSimpleName() + " exited with " + exit + ":\n" + Files.readString(log));
        }
    }

    /**
     * Runs {@code main} of {@code mainClass} as {@link #run} does, the JVM started through {@code prefix}
     * (e.g. {@code setpriv ...}), and returns its exit code; fails when it does not end within two minutes.
     */
    public static int exitCode(List<String> prefix, Class<?> mainClass, int shift, Path log, String... args)
            throws IOException, InterruptedException {
        Process p = start(prefix, mainClass, shift, log, args);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the JVM running " + mainClass.getSimpleName() + " did not end within 2 minutes; see " + log);
        }
        return p.exitValue();
    }

    /**
     * Starts {@code main} of {@code mainClass} as {@link #run} does (hash codes not shifted) and returns at once,
     * for a test that kills the JVM half-way; its output goes to {@code log}.
     */
    public static Process start(Class<?> mainClass, Path log, String... args) throws IOException {
        return start(List.of(), mainClass, 0, log, args);
    }

    private static Process start(List<String> prefix, Class<?> mainClass, int shift, Path log, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Surefire's argLine holds the --add-opens Spark needs.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-D") || a.startsWith("-XX:") || a.startsWith("-Xmx"))
                .forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), OtherJvm.class.getName(),
                Integer.toString(shift), mainClass.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Arguments: shift, main class, its arguments. */
    public static void main(String[] args) throws Throwable {
        int shift = Integer.parseInt(args[0]);
        for (int i = 0; i < shift; i++) {
            System.identityHashCode(new Object());
        }
        for (Encoding e : Encoding.values()) {
            System.identityHashCode(e);
        }
        Class.forName(args[1]).getMethod("main", String[].class)
                .invoke(null, (Object) java.util.Arrays.copyOfRange(args, 2, args.length));
    }
}
