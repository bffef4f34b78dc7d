package org.cohortflow.executors.task;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.cohortflow.dsl.tool.InMemoryToolContext;
import org.cohortflow.dsl.tool.PortSpec;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolId;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.tool.commandline.CommandLineSpec;
import org.cohortflow.dsl.types.DataType;
import org.cohortflow.dsl.types.FileRef;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.dsl.types.InvalidFileException;
import org.cohortflow.dsl.types.TypeGroup;
import org.cohortflow.dsl.types.ValueCodec;
import org.cohortflow.dsl.types.ValueType;
import org.cohortflow.executors.cache.InputHashes;
import org.cohortflow.executors.cache.JobKeys;
import org.cohortflow.executors.cache.JobRecords;
import org.cohortflow.executors.commandline.CommandLineRunner;
import org.cohortflow.executors.process.JobFolder;
import org.cohortflow.executors.process.JobScratch;
import org.cohortflow.executors.process.ToolProcesses;
import org.cohortflow.executors.storage.RunLayout;
import org.cohortflow.executors.storage.Storage;

/**
 * Runs tasks where they are placed: resolves each job's inputs (from sources, literals, earlier tasks'
 * stored outputs or, within a fused chain, from memory), skips a job whose cache record matches its
 * key, otherwise runs the tool (Java in this JVM, command-line tools as a local process with staged
 * inputs), stores its outputs in the job's folder and writes the record. A failing job never throws:
 * it becomes a {@link JobResult.Status#FAILED} result, and jobs of the chain that needed it become
 * {@link JobResult.Status#MISSING}. That includes a job past its timeout ({@link Timeouts}) and a job that
 * runs out of memory: an {@link OutOfMemoryError} of one sample fails that sample, not the JVM (on Spark an
 * error escaping a task kills the executor, and in local mode the driver with it).
 *
 * <p>One worker serves many tasks (a thread pool, or a Spark partition) and is safe to share between
 * threads.
 */
public final class TaskWorker {
    private final WorkerEnvironment env;
    private final ToolRegistry tools;
    private final Storage storage;
    private final JobRecords records;
    private final CommandLineRunner commandLine;
    private final CoreGate cores;
    private final Duration defaultTimeout;
    private final ToolProcesses processes;
    private final URI runDir;
    private final String host;
    private final JobStart.Listener starts;
    private final InputHashes inputHashes;

    /** Limits how many cores command-line jobs take at once on this machine (see {@link CorePool}). */
    @FunctionalInterface
    public interface CoreGate {
        /** Blocks until {@code cores} are free; closing the permit frees them. */
        Permit acquire(int cores) throws InterruptedException;

        /** Cores held by a running job. */
        interface Permit extends AutoCloseable {
            @Override
            void close();
        }
    }

    /**
     * @param defaultTimeout how long a job of a tool that sets no timeout of its own may run
     */
    public TaskWorker(WorkerEnvironment env, CoreGate cores, Duration defaultTimeout) {
        this(env, cores, defaultTimeout, JobStart.Listener.NONE);
    }

    /**
     * @param defaultTimeout how long a job of a tool that sets no timeout of its own may run
     * @param starts         told when a job that is not cached begins executing (for the run's true event times)
     */
    public TaskWorker(WorkerEnvironment env, CoreGate cores, Duration defaultTimeout, JobStart.Listener starts) {
        this(env, WorkerResources.of(env), cores, defaultTimeout, starts);
    }

    /**
     * @param shared         what the tasks of this run share in this JVM (built for {@code env})
     * @param defaultTimeout how long a job of a tool that sets no timeout of its own may run
     * @param starts         told when a job that is not cached begins executing (for the run's true event times)
     */
    public TaskWorker(WorkerEnvironment env, WorkerResources shared, CoreGate cores, Duration defaultTimeout,
                      JobStart.Listener starts) {
        this.starts = starts;
        this.env = env;
        this.tools = shared.tools();
        this.storage = shared.storage();
        this.records = new JobRecords(storage);
        this.processes = ToolProcesses.ofThisJvm();
        this.commandLine = new CommandLineRunner(tools.types(), processes);
        this.cores = cores;
        this.defaultTimeout = defaultTimeout;
        this.runDir = URI.create(env.runDir());
        this.host = shared.host();
        this.inputHashes = shared.inputHashes();
    }

    public Storage storage() {
        return storage;
    }

    public WorkerEnvironment environment() {
        return env;
    }

    /** A value of a job in this task, kept in memory for the jobs after it. */
    private record Held(StoredValue stored, Object value) {}

    /** Runs the jobs of a task in order. */
    public TaskResult run(TaskSpec task) {
        List<JobResult> results = new ArrayList<>();
        List<Map<String, List<Held>>> held = new ArrayList<>();
        currentTask.set(task);
        for (JobSpec job : task.jobs()) {
            Map<String, List<Held>> outs = new HashMap<>();
            JobResult r = runJob(job, results, held, outs, false);
            results.add(r);
            held.add(outs);
            // Its record is committed (with --keep all, its outputs stored): the driver need not wait for the
            // task's end to count it, write the sinks it completes or start what depends on it elsewhere.
            if (r.succeeded()) {
                starts.ended(r);
            }
        }
        currentTask.remove();
        return new TaskResult(results);
    }

    /**
     * A resolved input value: the tool-facing value (lazily for stored objects), its hash and provenance; for a
     * value an earlier job of the task reused from its record but did not keep ({@link StoredValue.Kind#TRANSIENT}),
     * where it comes from ({@code chain}: that job's position, port and index), to make it again if needed.
     */
    private record Resolved(Object value, URI location, boolean file, DataType type, String hash, JobResult.Used used,
                            Chain chain, String stamp) {
        Resolved(Object value, URI location, boolean file, DataType type, String hash, JobResult.Used used) {
            this(value, location, file, type, hash, used, null, null);
        }

        /** A file input whose hash is kept in the work folder, with the stamp it holds for (validity is kept there too). */
        Resolved(URI location, DataType type, InputHashes.Hashed hashed, JobResult.Used used) {
            this(null, location, true, type, hashed.hash(), used, null, hashed.stamp());
        }
    }

    /** An output value of an earlier job of the task. */
    private record Chain(int job, String port, int index) {}

    /**
     * Makes the values of reused jobs that were kept in memory only (and so are not in storage) again, by running
     * their jobs again in this task, before a job that needs them runs.
     */
    private void materialise(Map<String, List<Resolved>> inputs, List<JobResult> earlier,
                             List<Map<String, List<Held>>> held) throws JobFailure {
        for (var e : inputs.entrySet()) {
            List<Resolved> rs = new ArrayList<>();
            for (Resolved r : e.getValue()) {
                if (r.chain() != null && r.value() == null) {
                    Chain c = r.chain();
                    if (held.get(c.job()).getOrDefault(c.port(), List.of()).stream().anyMatch(h -> h.value() == null)) {
                        JobSpec producer = currentTask.get().jobs().get(c.job());
                        Map<String, List<Held>> outs = new HashMap<>();
                        JobResult again = runJob(producer, earlier.subList(0, c.job()), held, outs, true);
                        if (!again.succeeded()) {
                            throw new JobFailure("job " + producer.label() + ", run again for its value kept in memory only,"
                                    + " failed: " + again.error());
                        }
                        held.set(c.job(), outs);
                        // It ran after all: the task's result and the run's events say so, not "cached".
                        earlier.set(c.job(), again);
                        starts.ended(again);
                    }
                    Held h = held.get(c.job()).get(c.port()).get(c.index());
                    if (!h.stored().hash().equals(r.hash())) {
                        throw new JobFailure("job " + producer(c) + " made a value other than the one its record names");
                    }
                    r = new Resolved(h.value(), r.location(), r.file(), r.type(), r.hash(), r.used(), null, null);
                }
                rs.add(r);
            }
            e.setValue(rs);
        }
    }

    private String producer(Chain c) {
        return currentTask.get().jobs().get(c.job()).label();
    }

    /** The task this thread runs (for jobs run again to make a value kept in memory only). */
    private final ThreadLocal<TaskSpec> currentTask = new ThreadLocal<>();

    private JobResult runJob(JobSpec job, List<JobResult> earlier, List<Map<String, List<Held>>> held,
                             Map<String, List<Held>> outs, boolean again) {
        ToolDefinition tool;
        try {
            tool = tools.find(ToolId.parse(job.tool()))
                    .orElseThrow(() -> new IllegalStateException("tool " + job.tool() + " is not known where the task runs"));
        } catch (RuntimeException e) {
            return failed(job, null, System.currentTimeMillis(), e.getMessage(), null, null, null, List.of());
        }
        for (JobSpec.Input in : job.inputs()) {
            for (InputValue v : in.values()) {
                if (v instanceof InputValue.FromChain c && !earlier.get(c.job()).succeeded()) {
                    JobResult e = earlier.get(c.job());
                    return JobResult.missing(job.node(), job.sample(), job.tool(), "job " + e.label()
                            + (e.status() == JobResult.Status.FAILED ? " failed" : " is missing"));
                }
            }
        }
        long start = System.currentTimeMillis();
        URI jobDir = RunLayout.jobDir(runDir, job.node(), job.sampleName());
        Map<String, List<Resolved>> inputs = new LinkedHashMap<>();
        String key;
        try {
            for (JobSpec.Input in : job.inputs()) {
                List<Resolved> rs = new ArrayList<>();
                for (InputValue v : in.values()) {
                    resolve(in.port(), rs.size(), v, earlier, held, rs);
                }
                inputs.put(in.port(), rs);
            }
            List<JobKeys.PortHashes> hashes = new ArrayList<>();
            inputs.forEach((p, rs) -> hashes.add(new JobKeys.PortHashes(p, rs.stream().map(Resolved::hash).toList())));
            key = JobKeys.key(job.tool(), definitionHash(tool), hashes);
        } catch (JobFailure e) {
            return failed(job, jobDir, start, e.getMessage(), null, null, null, used(inputs));
        }
        JobRecords.Reuse reuse = records.reuse(jobDir, key, used(inputs));
        Optional<JobResult> cached = again ? Optional.empty() : reuse.result();
        if (cached.isPresent() && cached.get().outputs().stream().anyMatch(o -> !job.notKept().contains(o.port())
                && o.values().stream().anyMatch(v -> v.kind() == StoredValue.Kind.TRANSIENT))) {
            // An earlier run kept this output in memory only; here it must be stored (another task or a sink reads it).
            cached = Optional.empty();
            reuse = new JobRecords.Reuse(Optional.empty(), "an output the earlier result kept in memory only is needed in storage now");
        } else if (cached.isPresent() && cached.get().outputs().stream().anyMatch(o -> !job.cacheOnly().contains(o.port())
                && !job.notKept().contains(o.port()) && o.values().stream().anyMatch(this::inCacheForm))) {
            // An earlier run stored this output for its cache only; here another task, a sink or a tool outside
            // cohortflow reads it, in its usual form.
            cached = Optional.empty();
            reuse = new JobRecords.Reuse(Optional.empty(), "an output the earlier result stored for its cache only is read elsewhere now");
        }
        if (cached.isPresent()) {
            cached.get().outputs().forEach(o -> outs.put(o.port(), o.values().stream().map(s -> new Held(s, null)).toList()));
            return cached.get().asCached();
        }
        try {
            materialise(inputs, earlier, held);
        } catch (JobFailure e) {
            return failed(job, jobDir, start, e.getMessage(), null, null, null, used(inputs));
        }
        // Only now is the job known to run (a cached one does not); its start is that of its record.
        starts.started(new JobStart(job.node(), job.sample(), start));
        JobScratch scratch = new JobScratch(processes);
        try {
            storage.delete(jobDir);
            storage.mkdirs(jobDir);
            storage.writeAtomically(Storage.resolve(jobDir, JobRecords.WHY), (reuse.why() + "\n").getBytes(StandardCharsets.UTF_8));
            if (tool.implementation() instanceof CommandLineSpec spec) {
                return runCommandLine(job, tool, spec, inputs, key, jobDir, scratch, start, outs);
            }
            Map<String, List<Object>> values = new LinkedHashMap<>();
            for (var e : inputs.entrySet()) {
                List<Object> vs = new ArrayList<>();
                for (Resolved r : e.getValue()) {
                    vs.add(toolValue(job, e.getKey(), r, scratch, vs.size(), false));
                }
                values.put(e.getKey(), vs);
            }
            InMemoryToolContext context = new InMemoryToolContext(tool, values, scratch::work, job.sampleName());
            Map<String, List<Object>> produced = runJava(job, tool, context);
            return succeeded(job, tool, key, jobDir, scratch, produced, inputs, start, null, null, outs, context.warnings());
        } catch (JobFailure e) {
            return failed(job, jobDir, start, e.getMessage(), null, null, null, used(inputs));
        } catch (CommandLineRunner.CommandFailedException e) {
            return failed(job, jobDir, start, e.getMessage(), CommandLineRunner.quote(e.command()), e.exitCode(),
                    e.stderrTail(), used(inputs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(job, jobDir, start, "interrupted", null, null, null, used(inputs));
        } catch (Exception | LinkageError | AssertionError e) {
            return failed(job, jobDir, start, cause(e) + keepStackTrace(jobDir, e), null, null, null, used(inputs));
        } catch (OutOfMemoryError e) {
            // Whatever the job held is unreachable once this returns, so the JVM goes on for the other samples.
            return failed(job, jobDir, start, outOfMemory(tool, e), null, null, null, used(inputs));
        } catch (StackOverflowError e) {
            return failed(job, jobDir, start, "tool " + tool.id() + " overflowed its thread's stack"
                    + keepStackTrace(jobDir, e), null, null, null, used(inputs));
        } finally {
            scratch.close();
        }
    }

    /**
     * Runs a Java tool's body on a thread of its own, so that the job can be given up at its timeout: the
     * thread is interrupted and abandoned, and the job fails. A body that ignores interrupts keeps its
     * thread (a daemon) busy until it returns; its result is dropped.
     */
    private Map<String, List<Object>> runJava(JobSpec job, ToolDefinition tool, InMemoryToolContext context) throws Exception {
        Timeouts.Limit limit = Timeouts.of(tool, defaultTimeout);
        FutureTask<Map<String, List<Object>>> body = new FutureTask<>(context::run);
        Thread t = new Thread(body, "cohortflow-tool " + job.label());
        t.setDaemon(true);
        // On cluster executors the application's classes may only be reachable through this loader.
        t.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        t.start();
        try {
            return body.get(limit.duration().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            body.cancel(true);
            throw new JobFailure("tool " + tool.id() + " timed out after " + Timeouts.human(limit.duration())
                    + "; its thread was interrupted and the job given up (" + limit.origin() + ")");
        } catch (InterruptedException e) {
            body.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception x) throw x;
            if (cause instanceof Error x) throw x;
            throw e;
        }
    }

    private static String outOfMemory(ToolDefinition tool, OutOfMemoryError e) {
        long max = Runtime.getRuntime().maxMemory();
        return "tool " + tool.id() + " ran out of memory (" + e.getMessage() + "; this JVM may use at most "
                + (max >> 20) + " MiB, shared by the jobs running in it): give the "
                + "executor more memory (-Xmx, spark.executor.memory) or the job lighter settings";
    }

    private JobResult runCommandLine(JobSpec job, ToolDefinition tool, CommandLineSpec spec,
                                     Map<String, List<Resolved>> inputs, String key, URI jobDir, JobScratch scratch,
                                     long start, Map<String, List<Held>> outs) throws Exception {
        JobFolder folder = scratch.folder();
        Path local = folder.path();
        Map<String, List<Object>> values = new LinkedHashMap<>();
        for (var e : inputs.entrySet()) {
            List<Object> vs = new ArrayList<>();
            for (Resolved r : e.getValue()) {
                vs.add(toolValue(job, e.getKey(), r, scratch, vs.size(), true));
            }
            values.put(e.getKey(), vs);
        }
        Path work = Files.createDirectories(local.resolve("work"));
        CommandLineRunner.Result r;
        try (CoreGate.Permit p = cores.acquire(spec.resources().cores())) {
            try {
                r = commandLine.run(tool, values, work, Timeouts.of(tool, defaultTimeout), folder);
            } finally {
                keepLogs(work, jobDir);
            }
        }
        return succeeded(job, tool, key, jobDir, scratch, r.outputs(), inputs, start, CommandLineRunner.quote(r.command()),
                r.exitCode(), outs, List.of());
    }

    private void keepLogs(Path work, URI jobDir) {
        for (String f : List.of("stdout.txt", "stderr.txt")) {
            try {
                if (Files.exists(work.resolve(f))) {
                    storage.upload(work.resolve(f), Storage.resolve(jobDir, f));
                }
            } catch (IOException e) {
                // Logs are for people; a job does not fail because they could not be kept.
            }
        }
    }

    private void resolve(String port, int index, InputValue v, List<JobResult> earlier,
                         List<Map<String, List<Held>>> held, List<Resolved> out) throws JobFailure {
        if (v instanceof InputValue.FromSource s) {
            DataType t = type(s.type());
            String what = "source '" + s.source() + "'";
            if (t instanceof ValueType vt) {
                String text = literal(vt, s.text(), what);
                out.add(new Resolved(vt.parse(text), null, false, t, Values.hashText(text), new JobResult.Used(port, index,
                        "source", s.source() + "[" + s.sampleId() + "]", null, s.index(), t.name(), null, Values.hashText(text),
                        text)));
                return;
            }
            URI uri = Storage.toUri(s.text());
            InputHashes.Hashed hashed;
            try {
                if (!storage.exists(uri)) {
                    throw new JobFailure(what + ": " + uri + " does not exist");
                }
                hashed = inputHashes.hashed(uri, members(t));
            } catch (IOException e) {
                throw new JobFailure(what + ": cannot read " + uri + ": " + describe(e));
            }
            out.add(new Resolved(uri, t, hashed, new JobResult.Used(port, index, "source",
                    s.source() + "[" + s.sampleId() + "]", null, s.index(), t.name(), uri.toString(), hashed.hash())));
        } else if (v instanceof InputValue.FromLiteral l) {
            DataType t = type(l.type());
            if (t instanceof FileType) {
                // A literal of a file type names the file (e.g. a settings file); like a source value, it is
                // hashed by content so that editing the file reruns what depends on it.
                out.add(literalFile(port, index, t, l.text()));
                return;
            }
            if (!(t instanceof ValueType vt)) {
                throw new JobFailure("input '" + port + "': a literal of type " + l.type() + " is not a value");
            }
            String text = literal(vt, l.text(), "input '" + port + "'");
            String h = Values.hashText(text);
            out.add(new Resolved(vt.parse(text), null, false, t, h, new JobResult.Used(port, index, "literal", text, null, 0,
                    t.name(), null, h)));
        } else if (v instanceof InputValue.FromStored s) {
            out.add(fromStored(port, index, s.value(), null, s.node() + "/" + s.sample(), s.port(), s.index()));
        } else {
            InputValue.FromChain c = (InputValue.FromChain) v;
            List<Held> hs = held.get(c.job()).getOrDefault(c.port(), List.of());
            List<Held> pick = c.index() < 0 ? hs : List.of(hs.get(c.index()));
            for (int i = 0; i < pick.size(); i++) {
                Held h = pick.get(i);
                int at = c.index() < 0 ? i : c.index();
                Resolved r = fromStored(port, out.size(), h.stored(), h.value(), earlier.get(c.job()).label(), c.port(), at);
                out.add(h.stored().kind() == StoredValue.Kind.TRANSIENT
                        ? new Resolved(r.value(), null, false, r.type(), r.hash(), r.used(), new Chain(c.job(), c.port(), at), null)
                        : r);
            }
        }
    }

    private Resolved literalFile(String port, int index, DataType t, String text) throws JobFailure {
        URI uri = Storage.toUri(text);
        InputHashes.Hashed hashed;
        try {
            if (!storage.exists(uri)) {
                throw new JobFailure("input '" + port + "': " + uri + " does not exist");
            }
            hashed = inputHashes.hashed(uri, members(t));
        } catch (IOException e) {
            throw new JobFailure("input '" + port + "': cannot read " + uri + ": " + describe(e));
        }
        return new Resolved(uri, t, hashed, new JobResult.Used(port, index, "literal", uri.toString(), null, 0,
                t.name(), uri.toString(), hashed.hash()));
    }

    private Resolved fromStored(String port, int index, StoredValue s, Object inMemory, String producer,
                                String producerPort, int producerIndex) throws JobFailure {
        DataType t = type(s.type());
        JobResult.Used used = new JobResult.Used(port, index, "job", producer, producerPort, producerIndex, s.type(),
                s.kind() == StoredValue.Kind.TEXT ? null : s.text(), s.hash());
        return switch (s.kind()) {
            case TEXT -> new Resolved(inMemory != null ? inMemory : ((ValueType) t).parse(s.text()), null, false, t,
                    s.hash(), used);
            case FILE -> new Resolved(null, URI.create(s.text()), true, t, s.hash(), used);
            case OBJECT -> new Resolved(inMemory, URI.create(s.text()), false, t, s.hash(), used);
            case TRANSIENT -> new Resolved(inMemory, null, false, t, s.hash(), used);
            case MEMORY -> {
                if (inMemory == null) {
                    throw new JobFailure("input '" + port + "': the " + s.type() + " value of " + producer
                            + " is not serialisable, so it only exists inside the task that made it");
                }
                yield new Resolved(inMemory, null, false, t, s.hash(), used);
            }
        };
    }

    /** The value a tool sees: files staged to local paths (as {@link Path} or {@link FileRef}), objects loaded. */
    private Object toolValue(JobSpec job, String port, Resolved r, JobScratch scratch, int index, boolean asPath)
            throws JobFailure, IOException {
        if (r.value() != null) {
            return r.value();
        }
        // Data on this machine's disk is used in place; only other data is staged, into the job folder.
        Path stageDir = storage.localFile(r.location()).isPresent() ? null
                : scratch.folder().path().resolve("in").resolve(port).resolve(Integer.toString(index));
        if (r.file()) {
            Path p;
            try {
                p = storage.localise(r.location(), stageDir, members(r.type()));
            } catch (IOException e) {
                throw new JobFailure("input '" + port + "': cannot stage "
                        + r.location() + ": " + describe(e));
            }
            FileType ft = fileType(r.type(), p);
            // An input is checked once per content (its stamp), not before every job that reads it.
            if (!inputHashes.knownValid(r.location(), members(r.type()), r.stamp(), ft.name())) {
                try {
                    ft.validate(p);
                } catch (InvalidFileException e) {
                    throw new JobFailure("input '" + port + "': " + e.getMessage());
                }
                inputHashes.valid(r.location(), members(r.type()), r.stamp(), ft.name());
            }
            if (asPath) {
                return p;
            }
            String query = r.location().getRawQuery();
            return ft.factory().apply(query == null ? p.toUri() : URI.create(p.toUri() + "?" + query));
        }
        Optional<ValueCodec> codec = r.type() instanceof ValueType vt && vt.codec().isPresent()
                ? vt.codec().get().reading(r.location().getPath()) : Optional.empty();
        if (codec.isPresent()) {
            return codec.get().read(storage.localise(r.location(), stageDir));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(storage.read(r.location())))) {
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new JobFailure("input '" + port + "': cannot load stored object: " + e.getMessage());
        }
    }

    /**
     * Which files of a folder a value with a query stands for: the file type's own rule, or for a group
     * (e.g. Image) the rule of its only folder type that has one; otherwise every file.
     */
    private FileType.Members members(DataType t) {
        if (t instanceof FileType f) {
            return f.members();
        }
        List<FileType.Members> rules = tools.types().membersOf(t.name()).stream()
                .filter(m -> m instanceof FileType f && f.directory() && f.members() != FileType.Members.ALL)
                .map(m -> ((FileType) m).members()).distinct().toList();
        return rules.size() == 1 ? rules.get(0) : FileType.Members.ALL;
    }

    private FileType fileType(DataType t, Path p) throws JobFailure {
        if (t instanceof FileType f) {
            return f;
        }
        String name = p.getFileName().toString();
        return tools.types().membersOf(t.name()).stream().filter(m -> m instanceof FileType).map(m -> (FileType) m)
                .filter(f -> f.matchesName(name) && f.directory() == Files.isDirectory(p))
                .max(Comparator.comparingInt(f -> f.extensions().isEmpty() ? 0 : 1))
                .orElseThrow(() -> new JobFailure(p + " is of no file type in " + t.name()));
    }

    private JobResult succeeded(JobSpec job, ToolDefinition tool, String key, URI jobDir, JobScratch scratch,
                                Map<String, List<Object>> produced, Map<String, List<Resolved>> inputs, long start,
                                String command, Integer exitCode, Map<String, List<Held>> outs, List<String> warnings)
            throws IOException, JobFailure {
        List<JobResult.Output> outputs = new ArrayList<>();
        for (PortSpec port : tool.outputs()) {
            List<Object> vs = produced.getOrDefault(port.id(), List.of());
            List<StoredValue> stored = new ArrayList<>();
            List<Held> hs = new ArrayList<>();
            for (int i = 0; i < vs.size(); i++) {
                StoredValue s = job.notKept().contains(port.id()) ? inMemoryOnly(port, i, vs.get(i), key) : null;
                s = s != null ? s : store(port, i, vs.get(i), key, jobDir, scratch, job.cacheOnly().contains(port.id()));
                stored.add(s);
                hs.add(new Held(s, vs.get(i) instanceof Path || vs.get(i) instanceof FileRef ? null : vs.get(i)));
            }
            outputs.add(new JobResult.Output(port.id(), stored));
            outs.put(port.id(), hs);
        }
        JobResult r = new JobResult(job.node(), job.sample(), job.tool(), JobResult.Status.SUCCEEDED, key, false,
                outputs, used(inputs), command, exitCode, null, null, host, start, System.currentTimeMillis(),
                jobDir.toString(), warnings);
        records.write(jobDir, r);
        return r;
    }

    /**
     * An object output the run keeps in memory only (it is read only inside its task): not stored, its hash
     * derived from the job's key, so that the jobs after it have keys as stable as the job's own. Files and
     * literals are kept as usual (null).
     */
    private StoredValue inMemoryOnly(PortSpec port, int index, Object value, String key) throws JobFailure {
        DataType t = type(port.type());
        if (value instanceof Path || value instanceof FileRef || Values.isLiteral(t)
                || (t instanceof TypeGroup && literalTypeOf(value) != null)) {
            return null;
        }
        String typeName = codecType(t, value).map(DataType::name).orElse(t.name());
        return new StoredValue(typeName, StoredValue.Kind.TRANSIENT, null, derivedHash(key, port, index), -1);
    }

    /**
     * The hash of an output read only inside its task, derived from its job's key instead of its bytes: the same
     * whether the run keeps it in memory ({@code --keep sinks}) or stores it for the cache ({@code --keep all}), so the
     * keys of the jobs after it are as stable as its job's own, and its bytes need no second reading.
     */
    private static String derivedHash(String key, PortSpec port, int index) {
        return Storage.sha256(("in memory\0" + key + "\0" + port.id() + "\0" + index).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param key      the job's key
     * @param scratch  the job's private folder, for files on their way to storage
     * @param forCache the value is stored for the run's cache only (read back by cohortflow alone): in its codec's
     *                 cheaper form
     */
    private StoredValue store(PortSpec port, int index, Object value, String key, URI jobDir, JobScratch scratch,
                              boolean forCache)
            throws IOException, JobFailure {
        DataType t = type(port.type());
        Path file = value instanceof Path p ? p : value instanceof FileRef f && "file".equals(f.uri().getScheme())
                ? Path.of(f.uri()) : null;
        if (value instanceof FileRef f && file == null) {
            URI target = Storage.resolve(jobDir, "out", port.id(), Integer.toString(index), new org.apache.hadoop.fs.Path(f.uri()).getName());
            storage.copyAtomically(f.uri(), target);
            return new StoredValue(t.name(), StoredValue.Kind.FILE, target.toString(), storage.contentHash(target),
                    storage.isDirectory(target) ? -1 : storage.length(target));
        }
        if (file != null) {
            URI target = Storage.resolve(jobDir, "out", port.id(), Integer.toString(index), file.getFileName().toString());
            String hash = FileType.contentHash(file);
            storage.upload(file, target);
            String typeName = t instanceof FileType ? t.name() : fileType(t, file).name();
            return new StoredValue(typeName, StoredValue.Kind.FILE, target.toString(), hash,
                    Files.isDirectory(file) ? -1 : Files.size(file));
        }
        if (Values.isLiteral(t) || (t instanceof TypeGroup && literalTypeOf(value) != null)) {
            String typeName = Values.isLiteral(t) ? t.name() : literalTypeOf(value);
            String text = Values.format(value);
            return new StoredValue(typeName, StoredValue.Kind.TEXT, text, Values.hashText(text), -1);
        }
        Optional<ValueType> coded = codecType(t, value);
        if (coded.isPresent()) {
            ValueCodec codec = forCache ? coded.get().codec().orElseThrow().forCache() : coded.get().codec().orElseThrow();
            URI target = Storage.resolve(jobDir, "out", port.id(), index + codec.extension());
            Optional<Path> direct = storage.localFile(target);
            if (direct.isPresent()) {
                // On a local disk the codec writes into the job's folder itself: nobody reads it before the record.
                Files.createDirectories(direct.get().getParent());
                codec.write(value, direct.get());
                return new StoredValue(coded.get().name(), StoredValue.Kind.OBJECT, target.toString(),
                        forCache ? derivedHash(key, port, index) : FileType.contentHash(direct.get()), Files.size(direct.get()));
            }
            Path tmp = Files.createTempDirectory(scratch.folder().path(), "codec-");
            try {
                Path f = tmp.resolve(index + codec.extension());
                codec.write(value, f);
                String hash = forCache ? derivedHash(key, port, index) : FileType.contentHash(f);
                long size = Files.size(f);
                storage.upload(f, target);
                return new StoredValue(coded.get().name(), StoredValue.Kind.OBJECT, target.toString(), hash, size);
            } finally {
                deleteQuietly(tmp);
            }
        }
        byte[] bytes;
        try {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            try (ObjectOutputStream oo = new ObjectOutputStream(bo)) {
                oo.writeObject(value);
            }
            bytes = bo.toByteArray();
        } catch (NotSerializableException e) {
            return new StoredValue(t.name(), StoredValue.Kind.MEMORY, null,
                    Storage.sha256(("memory\0" + System.identityHashCode(value)).getBytes(StandardCharsets.UTF_8)), -1);
        }
        URI target = Storage.resolve(jobDir, "out", port.id(), index + ".bin");
        storage.writeAtomically(target, bytes);
        return new StoredValue(t.name(), StoredValue.Kind.OBJECT, target.toString(), Storage.sha256(bytes), bytes.length);
    }

    /** Whether {@code v} is an object stored in its codec's form for the cache only ({@link ValueCodec#forCache}). */
    private boolean inCacheForm(StoredValue v) {
        if (v.kind() != StoredValue.Kind.OBJECT) {
            return false;
        }
        ValueCodec codec = tools.types().find(v.type()).filter(t -> t instanceof ValueType).flatMap(t -> ((ValueType) t).codec())
                .orElse(null);
        return codec != null && codec.forCache() != codec && codec.reading(v.text()).filter(c -> c != codec).isPresent();
    }

    /**
     * The type whose codec stores {@code value} as a file in a format other programs read (a volume as
     * NIfTI): the port's own type, or for a group the member type of the value's class.
     */
    private Optional<ValueType> codecType(DataType t, Object value) {
        if (t instanceof ValueType v && v.codec().isPresent()) {
            return Optional.of(v);
        }
        return tools.types().all().stream().filter(x -> x instanceof ValueType).map(x -> (ValueType) x)
                .filter(v -> v.codec().isPresent() && v.javaType().isInstance(value))
                .filter(v -> v.name().equals(t.name()) || tools.types().isAssignable(v, t)).findFirst();
    }

    /** For a value on a port typed by a group (e.g. {@code Number}), the literal type of the value itself. */
    private String literalTypeOf(Object value) {
        return tools.types().all().stream().filter(Values::isLiteral).filter(t -> t.javaType().isInstance(value))
                .map(DataType::name).findFirst().orElse(null);
    }

    private JobResult failed(JobSpec job, URI jobDir, long start, String error, String command, Integer exitCode,
                             String stderrTail, List<JobResult.Used> used) {
        JobResult r = new JobResult(job.node(), job.sample(), job.tool(), JobResult.Status.FAILED, null, false,
                List.of(), used, command, exitCode, "sample '" + job.sampleName() + "': " + error, stderrTail, host,
                start, System.currentTimeMillis(), jobDir == null ? null : jobDir.toString());
        if (jobDir != null) {
            try {
                records.write(jobDir, r);
            } catch (IOException | RuntimeException e) {
                // The driver still gets the failure; the record only helps people looking at the folder.
            }
        }
        return r;
    }

    private static List<JobResult.Used> used(Map<String, List<Resolved>> inputs) {
        List<JobResult.Used> u = new ArrayList<>();
        inputs.values().forEach(rs -> rs.forEach(r -> u.add(r.used())));
        return u;
    }

    private String definitionHash(ToolDefinition tool) {
        if (tool.implementation() instanceof CommandLineSpec spec) {
            return Storage.sha256(spec.toString().getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    private DataType type(String name) throws JobFailure {
        return tools.types().find(name).orElseThrow(() -> new JobFailure("unknown data type " + name));
    }

    private static String literal(ValueType t, String text, String what) throws JobFailure {
        try {
            return Values.canonical(t, text);
        } catch (IllegalArgumentException e) {
            throw new JobFailure(what + ": " + e.getMessage());
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /**
     * What went wrong, for the run's summary: the exception and each distinct cause by class and message (a
     * wrapper that only repeats its cause's message is left out), without the stack trace.
     */
    static String cause(Throwable e) {
        StringBuilder sb = new StringBuilder(describe(e));
        String last = e.getMessage();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        seen.add(e);
        for (Throwable c = e.getCause(); c != null && seen.add(c); c = c.getCause()) {
            String m = c.getMessage();
            if (last != null && m != null && last.contains(m)) {
                continue;
            }
            sb.append("; caused by ").append(describe(c));
            last = m;
        }
        return sb.toString();
    }

    /**
     * Keeps a Java failure's whole stack trace in the job's log ({@code stderr.txt} in its folder), where people
     * debugging the tool look, and returns a pointer to it for the failure's message; the summary itself stays
     * one line per failure.
     */
    private String keepStackTrace(URI jobDir, Throwable e) {
        if (jobDir == null) {
            return "";
        }
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        URI log = Storage.resolve(jobDir, "stderr.txt");
        try {
            storage.writeAtomically(log, w.toString().getBytes(StandardCharsets.UTF_8));
            return " (stack trace in " + log + ")";
        } catch (IOException | RuntimeException x) {
            // The failure is still reported; only the pointer to the trace is lost.
            return "";
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary folder is harmless.
        }
    }

    /** A job failed for a reason the message states, naming the sample. */
    static final class JobFailure extends Exception {
        private static final long serialVersionUID = 1L;

        JobFailure(String message) {
            super(message, null, false, false);
        }
    }
}
