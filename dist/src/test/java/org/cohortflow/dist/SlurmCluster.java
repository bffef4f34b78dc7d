package org.cohortflow.dist;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A real one-node SLURM for tests, from Debian's packages: {@code munged} with a fresh key, {@code slurmctld} and
 * {@code slurmd} in the foreground as children of this JVM, with a generated {@code slurm.conf} on loopback
 * (free ports), state, spool and log folders under a given folder, and no cgroups
 * ({@code proctrack/linuxproc}, {@code task/none}). Runs as root ({@code SlurmUser=root}). {@link #close()}
 * cancels what is still queued and stops the three daemons.
 */
final class SlurmCluster implements AutoCloseable {
    /** The programs this fixture runs, and where Debian puts them. */
    private static final List<String> PROGRAMS = List.of("/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd",
            "/usr/bin/sbatch", "/usr/bin/scontrol", "/usr/bin/scancel", "/usr/bin/sinfo", "/usr/bin/squeue");
    private static final Set<String> FINAL_STATES = Set.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL",
            "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL", "DEADLINE");

    private final Path dir;
    private final Path conf;
    private final List<Process> daemons = new ArrayList<>();

    private SlurmCluster(Path dir) {
        this.dir = dir;
        this.conf = dir.resolve("slurm.conf");
    }

    /**
     * Starts munge, slurmctld and slurmd in {@code dir} and waits until the node is idle.
     *
     * @throws AssertionError naming the packages to install when a program is missing
     */
    static SlurmCluster start(Path dir, int cpus, int memoryMb) throws Exception {
        List<String> missing = PROGRAMS.stream().filter(p -> !Files.isExecutable(Path.of(p))).toList();
        if (!missing.isEmpty()) {
            throw new AssertionError("a real SLURM is needed and " + missing + " are missing: install Debian's packages with "
                    + "`apt-get install -y slurmd slurmctld munge` (scripts/bootstrap.sh does)");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new AssertionError("a test SLURM runs its daemons and jobs as root (SlurmUser=root, slurmd needs it); "
                    + "this JVM runs as " + System.getProperty("user.name"));
        }
        SlurmCluster cluster = new SlurmCluster(dir);
        try {
            cluster.startDaemons(cpus, memoryMb);
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void startDaemons(int cpus, int memoryMb) throws Exception {
        Files.createDirectories(dir);
        // munged insists that everyone may traverse its socket's folders and that only its user reads the key.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path munge = Files.createDirectories(dir.resolve("munge"));
        Files.setPosixFilePermissions(munge, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path secret = Files.createDirectories(munge.resolve("private"));
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rwx------"));
        byte[] key = new byte[1024];
        new SecureRandom().nextBytes(key);
        Path keyFile = secret.resolve("munge.key");
        Files.write(keyFile, key);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("r--------"));
        Path socket = munge.resolve("munge.socket");
        Path logs = Files.createDirectories(dir.resolve("logs"));
        daemon("munged", "/usr/sbin/munged", "--foreground", "--key-file=" + keyFile, "--socket=" + socket,
                "--pid-file=" + secret.resolve("munged.pid"), "--log-file=" + secret.resolve("munged.log"),
                "--seed-file=" + secret.resolve("munged.seed"));
        waitFor(Duration.ofSeconds(30), () -> Files.exists(socket), "munged's socket " + socket);

        String host = output(List.of("hostname", "-s"), Map.of()).trim();
        Files.writeString(conf, String.join("\n",
                "ClusterName=cohortflow-test",
                "SlurmctldHost=" + host + "(127.0.0.1)",
                "SlurmctldPort=" + freePort(),
                "SlurmdPort=" + freePort(),
                "SlurmUser=root",
                "SlurmdUser=root",
                "AuthType=auth/munge",
                "CredType=cred/munge",
                "AuthInfo=socket=" + socket,
                "StateSaveLocation=" + Files.createDirectories(dir.resolve("state")),
                "SlurmdSpoolDir=" + Files.createDirectories(dir.resolve("spool")),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + logs.resolve("slurmctld.log"),
                "SlurmdLogFile=" + logs.resolve("slurmd.log"),
                // No cgroups: processes are tracked by their parent PIDs, tasks are not confined.
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                "SwitchType=switch/none",
                "MpiDefault=none",
                "MailProg=/bin/true",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_CPU",
                // The node is what this file says, whatever the machine has.
                "SlurmdParameters=config_overrides",
                "ReturnToService=2",
                "KillWait=15",
                "MinJobAge=600",
                "NodeName=" + host + " NodeAddr=127.0.0.1 CPUs=" + cpus + " RealMemory=" + memoryMb + " State=UNKNOWN",
                "PartitionName=test Nodes=" + host + " Default=YES MaxTime=INFINITE State=UP",
                ""));
        daemon("slurmctld", "/usr/sbin/slurmctld", "-D", "-f", conf.toString());
        daemon("slurmd", "/usr/sbin/slurmd", "-D", "-f", conf.toString());
        waitFor(Duration.ofSeconds(60), () -> {
            try {
                return output(List.of("sinfo", "-h", "-o", "%t"), Map.of()).trim().equals("idle");
            } catch (Exception | AssertionError e) {
                return false;
            }
        }, "the SLURM node to be idle");
    }

    /** The environment SLURM's commands need to talk to this cluster. */
    Map<String, String> env() {
        return Map.of("SLURM_CONF", conf.toString());
    }

    /** Submits a batch job with {@code sbatch --parsable} in the given environment; returns its id. */
    String sbatch(Map<String, String> env, List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("sbatch", "--parsable"));
        command.addAll(arguments);
        return output(command, env).trim().split(";")[0];
    }

    /** A job's state (PENDING, RUNNING, COMPLETED, CANCELLED, ...) and exit code, from {@code scontrol show job}. */
    JobState state(String job) throws Exception {
        String show = output(List.of("scontrol", "show", "job", "-o", job), Map.of());
        return new JobState(field(show, "JobState"), field(show, "ExitCode"), Integer.parseInt(field(show, "Restarts")));
    }

    /** Waits until the job is in a final state, at most {@code timeout}. */
    JobState awaitEnd(String job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JobState state = state(job);
            if (FINAL_STATES.contains(state.state())) {
                return state;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + job + " still " + state + " after " + timeout + log());
            }
            Thread.sleep(500);
        }
    }

    /** Runs a SLURM command ({@code scancel 7}, {@code scontrol requeue 7}, ...) and fails on a non-zero exit. */
    String command(String... command) throws Exception {
        return output(List.of(command), Map.of());
    }

    /** The tails of the daemons' logs, for failure messages. */
    String log() {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(dir.resolve("logs"))) {
            for (Path f : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
                sb.append("\n--- ").append(f.getFileName()).append(" (tail) ---\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            }
        } catch (IOException e) {
            sb.append("\n(no SLURM logs: ").append(e).append(')');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            // Jobs first, while slurmctld and slurmd can still end them: their processes go with them.
            if (daemons.size() == 3 && daemons.stream().allMatch(Process::isAlive)) {
                output(List.of("scancel", "--full", "--quiet", "--partition=test"), Map.of());
                waitFor(Duration.ofSeconds(40), () -> {
                    try {
                        return output(List.of("squeue", "-h"), Map.of()).isBlank();
                    } catch (Exception | AssertionError e) {
                        return true;
                    }
                }, "the queue to empty");
            }
        } catch (Exception | AssertionError e) {
            System.err.println("SlurmCluster: cancelling jobs at close: " + e.getMessage());
        }
        // slurmd before slurmctld before munged, the reverse of their start.
        for (int i = daemons.size() - 1; i >= 0; i--) {
            Process p = daemons.get(i);
            p.destroy();
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        daemons.clear();
    }

    /** A job's state as {@code scontrol} reports it. */
    record JobState(String state, String exitCode, int restarts) {
    }

    private void daemon(String name, String... command) throws IOException {
        Path log = dir.resolve("logs").resolve(name + ".out");
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        daemons.add(p);
    }

    private String output(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("SLURM_CONF", conf.toString());
        // Output to a file, so that a command that hangs (say, scontrol retrying a dead slurmctld) is bounded.
        Path out = Files.createTempFile(dir, "command", ".out");
        pb.redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String text = Files.readString(out, StandardCharsets.ISO_8859_1);
        Files.deleteIfExists(out);
        if (!ended) {
            throw new AssertionError(command + " did not end within 60 s: " + text);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(command + " failed (exit " + p.exitValue() + "): " + text);
        }
        return text;
    }

    private static String field(String line, String name) {
        for (String token : line.trim().split("\\s+")) {
            if (token.startsWith(name + "=")) {
                return token.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in: " + line);
    }

    private void waitFor(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            for (Process p : daemons) {
                if (!p.isAlive()) {
                    throw new AssertionError(p.info().command().orElse("a SLURM daemon") + " exited (" + p.exitValue()
                            + ") while waiting for " + what + log());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + timeout + log());
            }
            Thread.sleep(250);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
