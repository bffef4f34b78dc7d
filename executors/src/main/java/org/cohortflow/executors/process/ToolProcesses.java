package org.cohortflow.executors.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The tool processes and job folders of this JVM, kept so that none outlives it:
 * <ul>
 *   <li>every tool process starts in a session of its own ({@code setsid}), so that its whole process
 *       tree can be killed as one group, on a timeout or when the JVM stops;</li>
 *   <li>on a normal exit or SIGTERM/SIGINT a shutdown hook kills every running tool's process tree and
 *       deletes every job folder;</li>
 *   <li>{@code kill -9} runs no hook, so a small watchdog process ({@code sh}) holds a pipe from this JVM;
 *       when the JVM dies the pipe closes and the watchdog kills the tools and deletes the folders that
 *       this JVM recorded in its job folders;</li>
 *   <li>should the watchdog die with the JVM (e.g. killed as one process group), the next JVM that runs
 *       jobs on this machine ({@link #sweep()}, at the start of every run, so also on {@code --resume})
 *       ends the tool processes recorded in job folders of dead JVMs and deletes those folders.</li>
 * </ul>
 *
 * <p>One instance per JVM ({@link #ofThisJvm()}), on purpose: processes and temporary folders belong to the
 * JVM, and the shutdown hook and the watchdog must see all of them, whichever executor or task made them.
 */
public final class ToolProcesses {
    private static final ToolProcesses JVM = new ToolProcesses(Path.of(System.getProperty("java.io.tmpdir")));
    private static final String PREFIX = "cohortflow-job-";

    /**
     * Waits for end of input (the JVM is gone), then kills the process group of every tool recorded in the
     * job folders this JVM owns, and deletes those folders. Ignores the signals a terminal sends its
     * foreground group, so a Ctrl-C reaches the JVM (which cleans up itself) but not the watchdog.
     */
    private static final String WATCHDOG = """
            trap '' HUP INT TERM QUIT
            while read -r _; do :; done
            for d in "$2"/cohortflow-job-*; do
              [ -f "$d/owner" ] && [ "$(cat "$d/owner" 2>/dev/null)" = "$1" ] || continue
              if [ -f "$d/processes" ]; then
                while read -r pid start; do
                  kill -9 "-$pid" 2>/dev/null
                  kill -9 "$pid" 2>/dev/null
                done < "$d/processes"
              fi
              rm -rf "$d"
            done
            """;

    /**
     * Starts a tool ({@code sh -c LAUNCHER cohortflow-tool PROCESSES JVM-PID COMMAND...}): records its own
     * PID and start time (in clock ticks since boot, as {@link #startTime} reads it) in the job folder, then starts the tool in its place only if the JVM
     * that asked for it is still its parent. So a tool is recorded before it runs, and a JVM killed while it
     * started one leaves nothing unrecorded: either the record is there before the JVM died, or the tool never
     * starts. Uses only shell built-ins.
     */
    private static final String LAUNCHER = """
            f=$1; jvm=$2; shift 2
            pick() { n=$1; shift; eval "picked=\\${$n}"; }
            read -r stat < /proc/$$/stat || exit 125
            pick 20 ${stat##*) }
            echo "$$ $picked" >> "$f" || exit 125
            read -r stat < /proc/$$/stat
            pick 2 ${stat##*) }
            if [ "$picked" != "$jvm" ]; then
              echo "cohortflow: the JVM (PID $jvm) that started this tool is gone; not starting it" >&2
              exit 125
            fi
            exec "$@"
            """;

    private final Path tmp;
    private final String owner;
    private final Map<Path, JobFolder> folders = new ConcurrentHashMap<>();
    private final Map<Process, JobFolder> running = new ConcurrentHashMap<>();
    private final Optional<String> setsid;
    private final boolean launcher;
    private volatile boolean closing;
    private boolean started;
    private boolean noWatchdog;
    private Process watchdog;
    private OutputStream watchdogPipe;

    ToolProcesses(Path tmp) {
        this.tmp = tmp;
        ProcessHandle self = ProcessHandle.current();
        this.owner = self.pid() + " " + startTime(self);
        this.setsid = findExecutable("setsid");
        // The launcher reads /proc; elsewhere (not Linux) the JVM records each tool just after it started.
        this.launcher = findExecutable("sh").isPresent() && Files.isReadable(Path.of("/proc/self/stat"));
    }

    /** The registry of this JVM. */
    public static ToolProcesses ofThisJvm() {
        return JVM;
    }

    /**
     * Makes a private job folder owned by this JVM. The first call also installs the shutdown hook,
     * starts the watchdog and sweeps what dead JVMs left behind.
     *
     * @throws IOException when the folder cannot be made, or the JVM is shutting down
     */
    public JobFolder newJobFolder() throws IOException {
        init();
        if (closing) {
            throw new IOException("this JVM is shutting down; no new job starts");
        }
        Path dir = Files.createTempDirectory(tmp, PREFIX);
        Files.writeString(dir.resolve(JobFolder.OWNER), owner, StandardCharsets.UTF_8);
        JobFolder f = new JobFolder(this, dir);
        folders.put(dir, f);
        if (closing) {
            release(f);
            throw new IOException("this JVM is shutting down; no new job starts");
        }
        return f;
    }

    /**
     * Starts a tool process for a job, in a session of its own (when {@code setsid} exists), and records it
     * in the job folder before anything else can happen to it.
     */
    public Process start(ProcessBuilder builder, JobFolder folder) throws IOException {
        if (closing) {
            throw new IOException("this JVM is shutting down; no new tool starts");
        }
        init();
        Path record = folder.path().resolve(JobFolder.PROCESSES);
        List<String> command = new ArrayList<>();
        // --wait: should setsid have to fork (it does when already a group leader), it waits for the tool
        // and returns its exit code, so the process we hold still stands for the tool.
        setsid.ifPresent(s -> command.addAll(List.of(s, "--wait")));
        if (launcher) {
            command.addAll(List.of("sh", "-c", LAUNCHER, "cohortflow-tool", record.toString(),
                    Long.toString(ProcessHandle.current().pid())));
        }
        command.addAll(builder.command());
        Process p = builder.command(command).start();
        running.put(p, folder);
        if (!launcher) {
            Files.writeString(record, p.pid() + " " + startTime(p.toHandle()) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        if (closing) {
            kill(p);
        }
        return p;
    }

    /**
     * The process ended (or was killed) and is no longer watched. Whatever it left running in its process
     * group (background children it did not wait for) is killed: nothing of a job runs on after it.
     */
    public void finished(Process p) {
        killGroup(p.pid());
        running.remove(p);
    }

    /**
     * Kills a tool and everything it started: its process group (which holds grandchildren that left its
     * tree, e.g. daemons), its descendants, then itself; waits up to 10 s for it to go.
     */
    public void kill(Process p) {
        killGroup(p.pid());
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void release(JobFolder f) {
        running.forEach((p, owner) -> {
            if (owner == f && p.isAlive()) {
                kill(p);
            }
            if (owner == f) {
                running.remove(p);
            }
        });
        folders.remove(f.path());
        deleteTree(f.path());
    }

    /**
     * Ends what JVMs that died without cleaning up left on this machine: for every job folder whose owner
     * JVM is gone, kills the process groups of the tools it records (unless the PID now belongs to another
     * process), then deletes the folder. Folders of living JVMs (other runs) are left alone.
     *
     * @return how many folders were removed
     */
    public int sweep() {
        int removed = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path d : dirs) {
                Optional<String> who = read(d.resolve(JobFolder.OWNER));
                if (who.isEmpty() || who.get().equals(owner) || alive(who.get())) {
                    continue;
                }
                for (String line : read(d.resolve(JobFolder.PROCESSES)).orElse("").split("\n")) {
                    endLeftover(line);
                }
                deleteTree(d);
                removed++;
            }
        } catch (IOException e) {
            // A folder we cannot list holds nothing of ours.
        }
        return removed;
    }

    private synchronized void init() {
        if (!started) {
            started = true;
            Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "cohortflow-tool-reaper"));
            sweep();
        }
        // Started again should it have died (someone killed it): a kill -9 of this JVM is still covered.
        // Asked of the handle, not the Process: Process.isAlive() turns false only once the JDK's reaper thread
        // has run its own completion, which may come after others have already seen the watchdog's exit.
        if (!noWatchdog && (watchdog == null || !watchdog.toHandle().isAlive())) {
            try {
                List<String> command = new ArrayList<>();
                setsid.ifPresent(command::add);
                command.addAll(List.of("sh", "-c", WATCHDOG, "cohortflow-watchdog", owner, tmp.toString()));
                watchdog = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                // Held open (never written) until this JVM dies: its end of the pipe is what the watchdog waits for.
                // Kept in a field so that neither the stream nor the process is collected (which would close it).
                watchdogPipe = watchdog.getOutputStream();
            } catch (IOException e) {
                // Without sh there is no watchdog; the shutdown hook and the sweep of the next run still clean up.
                noWatchdog = true;
            }
        }
    }

    /** The shutdown hook: no new tools, kill the running ones, delete every job folder. */
    private void shutdown() {
        closing = true;
        running.keySet().forEach(p -> {
            if (p.isAlive()) {
                kill(p);
            }
        });
        running.clear();
        new ArrayList<>(folders.keySet()).forEach(ToolProcesses::deleteTree);
        folders.clear();
    }

    private void endLeftover(String line) {
        String[] f = line.trim().split(" ");
        if (f.length != 2) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(f[0]);
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isPresent() && !Long.toString(startTime(h.get())).equals(f[1])) {
            return; // the PID was reused by another process
        }
        // A PID is not reused while a process group of that id exists, so the group is still the tool's.
        killGroup(pid);
        h.ifPresent(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }

    private boolean alive(String ownerText) {
        String[] f = ownerText.trim().split(" ");
        try {
            Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(f[0]));
            return h.isPresent() && isRunning(h.get().pid()) && (f.length < 2 || Long.toString(startTime(h.get())).equals(f[1]));
        } catch (NumberFormatException e) {
            return true; // not ours to judge
        }
    }

    private void killGroup(long pid) {
        if (setsid.isEmpty()) {
            return;
        }
        try {
            Process k = new ProcessBuilder("sh", "-c", "kill -9 -\"$1\" 2>/dev/null", "kill", Long.toString(pid))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            k.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // Descendants are still killed one by one.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether a process runs. A zombie (killed, and not yet reaped by its parent or by init) does not, though
     * {@link ProcessHandle#isAlive()} says it does.
     */
    public static boolean isRunning(long pid) {
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); // not Linux
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * When a process started, to tell it from a later one with the same PID. On Linux the raw start time of
     * {@code /proc/PID/stat} (clock ticks since boot), which the launcher's shell records too: exact, where
     * {@link ProcessHandle.Info#startInstant()} adds the boot time, which the kernel reports with a jitter of a second.
     */
    static long startTime(ProcessHandle h) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[19]);
        } catch (IOException | RuntimeException e) {
            return h.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L); // not Linux
        }
    }

    private static Optional<String> findExecutable(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p.toString());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> read(Path f) {
        try {
            return Optional.of(Files.readString(f, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // A leftover temporary folder is swept by the next run.
        }
    }
}
