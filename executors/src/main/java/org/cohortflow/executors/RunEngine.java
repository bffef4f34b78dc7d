package org.cohortflow.executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import org.cohortflow.dsl.network.Sink;
import org.cohortflow.dsl.network.Source;
import org.cohortflow.dsl.plan.ExpansionSizes;
import org.cohortflow.dsl.plan.Job;
import org.cohortflow.dsl.plan.JobGraph;
import org.cohortflow.dsl.plan.JobId;
import org.cohortflow.dsl.plan.Planner;
import org.cohortflow.dsl.plan.SampleKey;
import org.cohortflow.dsl.plan.SinkPlan;
import org.cohortflow.dsl.plan.Stage;
import org.cohortflow.dsl.plan.ValueRef;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.types.DataType;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.dsl.types.ValueType;
import org.cohortflow.executors.events.ConsoleProgress;
import org.cohortflow.executors.events.RunEvent;
import org.cohortflow.executors.events.RunEvents;
import org.cohortflow.executors.provenance.ProvenanceDocument;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.report.RunReportPage;
import org.cohortflow.executors.schedule.Batches;
import org.cohortflow.executors.schedule.TaskForming;
import org.cohortflow.executors.storage.FolderLock;
import org.cohortflow.executors.storage.RunLayout;
import org.cohortflow.executors.storage.SinkTarget;
import org.cohortflow.executors.storage.SinkWrite;
import org.cohortflow.executors.storage.Storage;
import org.cohortflow.executors.task.InputValue;
import org.cohortflow.executors.task.JobResult;
import org.cohortflow.executors.task.JobSpec;
import org.cohortflow.executors.task.StoredValue;
import org.cohortflow.executors.task.TaskResult;
import org.cohortflow.executors.task.TaskSpec;
import org.cohortflow.executors.task.Values;
import org.cohortflow.executors.task.WorkerEnvironment;
import org.cohortflow.executors.task.WorkerResources;
import org.cohortflow.executors.task.TaskWorker;
import org.cohortflow.executors.task.Timeouts;
import org.cohortflow.executors.task.JobStart;

/**
 * The driver side of a run, shared by all executors. It plans the network, then hands out tasks without a
 * barrier between them: {@link TaskForming} puts every job of a sample that needs only that sample's jobs into
 * the sample's one task (run with values in memory between its jobs), {@link Batches} runs the tasks on the
 * executor side by side, and whenever results come back the jobs they made ready go out at once and the sink
 * outputs they complete are written ({@code SinkWriting}). A failed or missing job makes its dependants missing;
 * everything else goes on. Stages that expand a variable number of values are planned again as soon as their
 * producers have run. What is stored and how inputs are hashed is the run's {@link ExecutionPolicy}.
 *
 * <p>Only small things reach the driver: job results carry literal values and locations, never data.
 */
public final class RunEngine {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance));

    private final Executor executor;
    private final List<Consumer<RunEvent>> extraListeners;

    public RunEngine(Executor executor) {
        this(executor, List.of());
    }

    /** An engine whose runs also hand every event to {@code listeners} (e.g. a monitor reporter). */
    public RunEngine(Executor executor, List<? extends Consumer<RunEvent>> listeners) {
        this.executor = executor;
        this.extraListeners = List.copyOf(listeners);
    }

    /** Runs the network of {@code spec}; invalid networks throw before anything is written. */
    public RunReport run(RunSpec spec) {
        return new Run(spec).run();
    }

    private final class Run {
        private final RunSpec spec;
        private final ToolRegistry tools;
        private final Planner planner;
        private final Storage storage;
        /** What tasks of this run are given; and a worker on the driver for small work done here (sink writes). */
        private WorkerEnvironment workerEnv;
        private TaskWorker driverWorker;
        private final URI runDir;
        private final Map<JobId, JobResult> results = new HashMap<>();
        private final Map<String, JobResult> byLabel = new HashMap<>();
        private final Map<String, Integer> plannedCounts = new HashMap<>();
        private final Map<JobId, List<RunReport.LeftOut>> leftOut = new LinkedHashMap<>();
        private RunEvents events;
        /** Jobs whose {@code running} (or final) event is out (taken on the driver's thread, through {@link Batches}). */
        private final Set<String> announced = new java.util.HashSet<>();
        private int batch;
        /** Jobs of the current plan still to hand out, producers first. */
        private final Map<JobId, Job> pending = new LinkedHashMap<>();
        /** Jobs handed out in a task (with or without result by now). */
        private final Set<JobId> dispatched = new java.util.HashSet<>();
        private final TaskForming forming;
        /** Writes sink outputs during the run; null before the run folder is taken. */
        private SinkWriting sinkWriting;
        /** The plan being run. */
        private JobGraph graph;
        /** Who reads each job output ("JOB\0PORT"; null for a sink), for {@code --keep sinks}; made per plan. */
        private Map<String, List<JobId>> readers;

        Run(RunSpec spec) {
            this.spec = spec;
            this.tools = spec.tools().registry();
            this.planner = new Planner(tools);
            this.storage = new Storage(spec.hadoopConf());
            this.runDir = Storage.resolve(spec.work(), spec.runId());
            this.forming = new TaskForming(spec.execution().fusion());
        }

        RunReport run() {
            Instant start = Instant.now();
            JobGraph graph = plan();
            try (FolderLock held = lockRunFolder()) {
                return run(graph, start);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot release the lock of run folder " + runDir, e);
            }
        }

        /** Takes the run folder for this run alone; the folder must be new unless the run resumes it. */
        private FolderLock lockRunFolder() {
            try {
                if (storage.exists(runDir) && !spec.resume()) {
                    throw new IllegalStateException("run folder " + runDir + " already exists; pass --resume to continue"
                            + " it (valid results are reused) or choose another --run-id");
                }
                FolderLock lock = FolderLock.acquire(storage, runDir, "run '" + spec.runId() + "' of network '"
                        + spec.network().id() + "'", spec.writes().waitForLock());
                if (!spec.resume() && storage.exists(Storage.resolve(runDir, RunLayout.EVENTS))) {
                    lock.close();
                    throw new IllegalStateException("run folder " + runDir + " was started by another run while this one"
                            + " waited; pass --resume to continue it or choose another --run-id");
                }
                return lock;
            } catch (FolderLock.HeldException e) {
                throw new IllegalStateException("run folder " + e.getMessage() + "; pass --wait to wait for it", e);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create run folder " + runDir + ": " + RunEvents.cause(e), e);
            }
        }

        private RunReport run(JobGraph graph, Instant start) {
            ConsoleProgress progress = progress();
            List<Consumer<RunEvent>> listeners = new ArrayList<>(extraListeners);
            // This run's job events, for report.html (a resumed folder's log also holds earlier attempts).
            List<RunEvent> jobEvents = new ArrayList<>();
            listeners.add(e -> {
                if ("job".equals(e.type())) {
                    jobEvents.add(e);
                }
            });
            if (progress != null) {
                listeners.add(0, progress);
            }
            URI eventsUri = Storage.resolve(runDir, RunLayout.EVENTS);
            java.io.OutputStream eventsOut;
            try {
                // A run killed (or starved of disk) in the middle of a line left half an event: drop it, so that
                // every line of the log stays one JSON document.
                storage.dropPartialLastLine(eventsUri);
                eventsOut = storage.append(eventsUri);
            } catch (IOException e) {
                if (progress != null) {
                    progress.close();
                }
                throw new IllegalStateException("cannot write to run folder " + runDir + ": " + eventsUri + ": "
                        + RunEvents.cause(e), e);
            }
            try (RunEvents ev = new RunEvents(eventsOut, eventsUri.toString(), listeners)) {
                events = ev;
                ev.emit(new RunEvent(System.currentTimeMillis(), "run-started", null, null, executor.name(),
                        spec.resume() ? "resume" : null));
                WorkerEnvironment env = new WorkerEnvironment(runDir.toString(), spec.hadoopConf(), spec.tools(),
                        spec.execution().rehash());
                workerEnv = env;
                SinkWriting writing = new SinkWriting();
                sinkWriting = writing;
                List<RunReport.Missing> sinkProblems = new ArrayList<>();
                List<RunReport.SinkSummary> sinks;
                try {
                    graph = runJobs(graph, env, writing);
                } finally {
                    writing.close();
                }
                sinks = writing.finish(graph, sinkProblems);
                List<String> problems = new ArrayList<>();
                ev.failure().ifPresent(problems::add);
                RunReport report = report(graph, start, sinks, sinkProblems, problems);
                if (spec.execution().keep() == ExecutionPolicy.Keep.NONE && report.exitCode() == 0) {
                    dropStoredOutputs(problems);
                    report = report.withProblems(problems);
                }
                URI pageUri = Storage.resolve(runDir, RunLayout.REPORT_HTML);
                try {
                    List<RunEvent> seen;
                    synchronized (ev) {
                        seen = List.copyOf(jobEvents);
                    }
                    storage.writeAtomically(pageUri, RunReportPage.render(report, seen).getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    problems.add("cannot write the report page to " + pageUri + ": " + RunEvents.cause(e));
                    report = report.withProblems(problems);
                }
                URI reportUri = Storage.resolve(runDir, RunLayout.REPORT);
                try {
                    storage.writeAtomically(reportUri, JSON.writeValueAsBytes(report));
                } catch (IOException e) {
                    // The console still gets the whole report; the run says it could not keep a copy.
                    problems.add("cannot write the report to " + reportUri + ": " + RunEvents.cause(e));
                    report = report.withProblems(problems);
                }
                ev.emit(new RunEvent(System.currentTimeMillis(), "run-finished", null, null,
                        report.exitCode() == 0 ? "succeeded" : "failed", null));
                return report;
            } finally {
                if (progress != null) {
                    progress.close();
                }
            }
        }

        /**
         * {@code --keep none}: once every sink is written, the outputs in the job folders go too (records, logs and
         * events stay); a later {@code --resume} runs the jobs whose outputs are gone again.
         */
        private void dropStoredOutputs(List<String> problems) {
            for (JobResult r : results.values()) {
                if (r.folder() == null || r.outputs().stream().allMatch(o -> o.values().stream()
                        .allMatch(v -> v.kind() == StoredValue.Kind.TEXT || v.kind() == StoredValue.Kind.TRANSIENT))) {
                    continue;
                }
                URI out = Storage.resolve(URI.create(r.folder()), "out");
                try {
                    storage.delete(out);
                } catch (IOException e) {
                    problems.add("cannot remove the outputs in " + out + " (--keep none): " + RunEvents.cause(e));
                }
            }
        }

        private ConsoleProgress progress() {
            return switch (spec.progress()) {
                case OFF -> null;
                case ON -> new ConsoleProgress(spec.console(), System.console() != null);
                case AUTO -> System.console() != null ? new ConsoleProgress(spec.console(), true) : null;
            };
        }

        private JobGraph plan() {
            ExpansionSizes sizes = (job, output) -> {
                JobResult r = results.get(job);
                if (r == null) {
                    return OptionalInt.empty();
                }
                // A failed producer expands to nothing; its failure is reported on its own.
                return OptionalInt.of(r.output(output).map(o -> o.values().size()).orElse(0));
            };
            return planner.plan(spec.network(), spec.locator(), spec.data(), sizes);
        }

        /**
         * Runs the jobs without a barrier: tasks go out in batches, and whenever results come in, the jobs they
         * made ready go out at once (and the sink outputs they complete are written), whatever else still runs.
         */
        private JobGraph runJobs(JobGraph graph, WorkerEnvironment env, SinkWriting sinks) {
            try (Batches batches = new Batches(executor, env)) {
                resetPending(graph);
                Map<Object, List<List<Job>>> outstanding = new HashMap<>();
                while (true) {
                    announce(graph);
                    List<List<Job>> tasks = forming.form(List.copyOf(pending.values()), formingView);
                    if (!tasks.isEmpty()) {
                        dispatch(batches, tasks, outstanding);
                    }
                    sinks.writeReady(graph, batches);
                    if (batches.idle()) {
                        if (deferredCount(graph) > 0) {
                            JobGraph again = plan();
                            if (deferredCount(again) < deferredCount(graph)) {
                                graph = again;
                                resetPending(graph);
                                continue;
                            }
                        }
                        return graph;
                    }
                    boolean ended = false;
                    for (Batches.Event e : batches.next()) {
                        if (e instanceof Batches.Result r && r.value() instanceof TaskResult tr) {
                            tr.jobs().forEach(this::recordOnce);
                        } else if (e instanceof Batches.JobStarted j) {
                            started(j.start());
                        } else if (e instanceof Batches.JobEnded j) {
                            recordOnce(j.job());
                        } else if (e instanceof Batches.Result r && r.value() instanceof SinkWrite.Result w) {
                            sinks.written(r.tag(), w);
                        } else if (e instanceof Batches.Ended end) {
                            ended = true;
                            List<List<Job>> gone = outstanding.remove(end.tag());
                            if (end.error() != null && gone != null) {
                                failAll(gone, end.error());
                            } else if (end.error() != null) {
                                sinks.batchFailed(end.tag(), end.error());
                            }
                        }
                    }
                    if (ended && deferredCount(graph) > 0) {
                        graph = plan();
                        resetPending(graph);
                    }
                }
            }
        }

        private void dispatch(Batches batches, List<List<Job>> tasks, Map<Object, List<List<Job>>> outstanding) {
            List<TaskSpec> specs = new ArrayList<>();
            Set<String> nodes = new LinkedHashSet<>();
            for (List<Job> t : tasks) {
                specs.add(toSpec(t));
                for (Job j : t) {
                    nodes.add(j.id().node());
                    pending.remove(j.id());
                    dispatched.add(j.id());
                }
                events.emit(new RunEvent(System.currentTimeMillis(), "task", null, t.get(0).id().sample().toString(),
                        Integer.toString(t.size()), String.join(",", t.stream().map(j -> j.id().node()).toList())));
            }
            batch++;
            // A job is logged running when it begins where it runs, not now (its task may wait for a slot).
            String description = "cohortflow network '" + spec.network().id() + "', run '" + spec.runId() + "', batch "
                    + batch + ": " + specs.size() + (specs.size() == 1 ? " task" : " tasks") + " of " + String.join(", ", nodes);
            Object tag = "jobs " + batch;
            outstanding.put(tag, tasks);
            batches.start(tag, specs, description);
        }

        /** The executor itself failed under these tasks: every job of them without a result fails. */
        private void failAll(List<List<Job>> tasks, RuntimeException e) {
            for (List<Job> t : tasks) {
                for (Job j : t) {
                    if (!results.containsKey(j.id())) {
                        record(new JobResult(j.id().node(), j.id().sample().ids(), j.tool().toString(),
                                JobResult.Status.FAILED, null, false, List.of(), List.of(), null, null,
                                "sample '" + j.id().sample() + "': the " + executor.name() + " executor failed: " + e,
                                null, null, 0, 0, null));
                    }
                }
            }
        }

        /** The jobs of {@code graph} still to run, producers first; a new plan replaces the list. */
        private void resetPending(JobGraph graph) {
            this.graph = graph;
            this.readers = null;
            pending.clear();
            for (Stage s : graph.stages()) {
                if (s.deferred().isPresent()) {
                    continue;
                }
                for (Job j : s.jobs()) {
                    if (!results.containsKey(j.id()) && !dispatched.contains(j.id())) {
                        pending.put(j.id(), j);
                    }
                }
            }
        }

        private long deferredCount(JobGraph g) {
            return g.stages().stream().filter(s -> s.deferred().isPresent()).count();
        }

        private void announce(JobGraph graph) {
            for (Stage s : graph.stages()) {
                if (s.deferred().isEmpty() && !Integer.valueOf(s.jobs().size()).equals(plannedCounts.get(s.node()))) {
                    plannedCounts.put(s.node(), s.jobs().size());
                    events.emit(new RunEvent(System.currentTimeMillis(), "planned", s.node(), null,
                            Integer.toString(s.jobs().size()), null));
                }
            }
        }

        /** What task forming sees of this run. */
        private final TaskForming.Run formingView = new TaskForming.Run() {
            @Override
            public Optional<JobResult> result(JobId id) {
                return Optional.ofNullable(results.get(id));
            }

            @Override
            public void missing(Job j, String why) {
                record(JobResult.missing(j.id().node(), j.id().sample().ids(), j.tool().toString(), why));
            }

            @Override
            public Optional<String> leaveOut(Job j) {
                return leaveOutFailed(j);
            }
        };

        /**
         * Records which samples a {@code missing: skip} collapse leaves out of {@code j} now that its producers
         * have run; says why the job cannot run when an input is left with no value at all.
         */
        private Optional<String> leaveOutFailed(Job j) {
            List<RunReport.LeftOut> gone = new ArrayList<>();
            j.leftOut().forEach(l -> gone.add(new RunReport.LeftOut(j.id().node(), j.id().sample().toString(), l.input(),
                    l.sample(), l.reason())));
            for (var e : j.inputs().entrySet()) {
                int kept = 0;
                for (ValueRef v : e.getValue()) {
                    if (leftOut(j, v)) {
                        JobResult r = results.get(v.producer());
                        gone.add(new RunReport.LeftOut(j.id().node(), j.id().sample().toString(), e.getKey(),
                                r.sampleName(), "job " + r.label() + (r.status() == JobResult.Status.FAILED ? " failed" : " is missing")));
                    } else {
                        kept++;
                    }
                }
                if (kept == 0 && !e.getValue().isEmpty()) {
                    return Optional.of("input '" + e.getKey() + "' (missing: skip) has no sample left: every one failed or is missing");
                }
            }
            if (!gone.isEmpty()) {
                leftOut.put(j.id(), gone);
            }
            return Optional.empty();
        }

        /** Whether the value {@code v} of {@code j} is left out: its producer failed behind a {@code missing: skip} collapse. */
        private boolean leftOut(Job j, ValueRef v) {
            if (v.producer() == null || !j.optional().contains(v.producer())) {
                return false;
            }
            JobResult r = results.get(v.producer());
            return r != null && !r.succeeded();
        }

        /** A worker on the driver's registry and storage, for small work that runs here rather than as a task. */
        private synchronized TaskWorker driverWorker() {
            if (driverWorker == null) {
                driverWorker = new TaskWorker(workerEnv, WorkerResources.of(workerEnv, tools, storage),
                        cores -> () -> { }, Timeouts.DEFAULT, JobStart.Listener.NONE);
            }
            return driverWorker;
        }

        private TaskSpec toSpec(List<Job> task) {
            Map<JobId, Integer> position = new HashMap<>();
            List<JobSpec> jobs = new ArrayList<>();
            for (Job j : task) {
                List<JobSpec.Input> inputs = new ArrayList<>();
                j.inputs().forEach((port, refs) -> {
                    List<InputValue> vs = new ArrayList<>();
                    refs.stream().filter(r -> !leftOut(j, r)).forEach(r -> vs.addAll(inputValues(r, position)));
                    inputs.add(new JobSpec.Input(port, vs));
                });
                position.put(j.id(), jobs.size());
                List<String> inTask = readInTaskOnly(j, task);
                boolean keepAll = spec.execution().keep() == ExecutionPolicy.Keep.ALL;
                jobs.add(new JobSpec(j.id().node(), j.id().sample().ids(), j.tool().toString(), inputs,
                        keepAll ? List.of() : inTask, keepAll ? inTask : List.of()));
            }
            return new TaskSpec(jobs);
        }

        /**
         * The output ports of {@code j} that only jobs of its own task read (no other task, no sink): with {@code --keep
         * sinks} their objects stay in memory, with {@code --keep all} they are stored for the cache only. Nothing while
         * stages are still to be planned (their readers are not known yet).
         */
        private List<String> readInTaskOnly(Job j, List<Job> task) {
            if (deferredCount(graph) > 0) {
                return List.of();
            }
            if (readers == null) {
                readers = new HashMap<>();
                for (Stage s : graph.stages()) {
                    for (Job c : s.jobs()) {
                        c.inputs().values().forEach(refs -> refs.forEach(r -> reader(r, c.id())));
                    }
                }
                for (SinkPlan sp : graph.sinks()) {
                    sp.items().forEach(i -> i.values().forEach(r -> reader(r, null)));
                }
            }
            Set<JobId> inTask = new java.util.HashSet<>();
            task.forEach(t -> inTask.add(t.id()));
            List<String> out = new ArrayList<>();
            for (var port : tools.find(j.tool()).orElseThrow().outputs()) {
                List<JobId> rs = readers.getOrDefault(j.id() + "\u0000" + port.id(), List.of());
                if (!rs.isEmpty() && rs.stream().allMatch(r -> r != null && inTask.contains(r))) {
                    out.add(port.id());
                }
            }
            return out;
        }

        /** Notes that {@code reader} (null: a sink) reads the output of {@code r}, if a job's. */
        private void reader(ValueRef r, JobId reader) {
            String port = r instanceof ValueRef.JobOutput o ? o.output()
                    : r instanceof ValueRef.JobOutputElement e ? e.output() : null;
            if (port != null) {
                readers.computeIfAbsent(r.producer() + "\u0000" + port, k -> new ArrayList<>()).add(reader);
            }
        }

        private List<InputValue> inputValues(ValueRef r, Map<JobId, Integer> position) {
            if (r instanceof ValueRef.SourceValue s) {
                return List.of(new InputValue.FromSource(s.source(), s.sampleId(), s.index(), sourceType(s.source()),
                        sourceText(s.value())));
            }
            if (r instanceof ValueRef.Literal l) {
                return List.of(new InputValue.FromLiteral(l.type(), l.text()));
            }
            if (r instanceof ValueRef.JobOutput o) {
                Integer at = position.get(o.job());
                if (at != null) {
                    return List.of(new InputValue.FromChain(at, o.output(), -1));
                }
                JobResult p = results.get(o.job());
                List<StoredValue> vs = p.output(o.output()).map(JobResult.Output::values).orElse(List.of());
                List<InputValue> out = new ArrayList<>();
                for (int i = 0; i < vs.size(); i++) {
                    out.add(new InputValue.FromStored(p.node(), p.sampleName(), o.output(), i, vs.get(i)));
                }
                return out;
            }
            ValueRef.JobOutputElement e = (ValueRef.JobOutputElement) r;
            Integer at = position.get(e.job());
            if (at != null) {
                return List.of(new InputValue.FromChain(at, e.output(), e.index()));
            }
            JobResult p = results.get(e.job());
            StoredValue v = p.output(e.output()).orElseThrow().values().get(e.index());
            return List.of(new InputValue.FromStored(p.node(), p.sampleName(), e.output(), e.index(), v));
        }

        private String sourceType(String source) {
            return spec.network().source(source).map(Source::type).orElseThrow();
        }

        private String sourceText(Object value) {
            if (value instanceof java.nio.file.Path p) {
                return p.toAbsolutePath().toUri().toString();
            }
            return value instanceof String s ? s : Values.format(value);
        }

        /** A job began where it runs: logged running with that time, unless its start or result is logged already. */
        private void started(org.cohortflow.executors.task.JobStart s) {
            String sample = new SampleKey(s.sample()).toString();
            synchronized (announced) {
                if (announced.add(s.node() + "\u0000" + sample)) {
                    events.emit(RunEvent.job(s.time(), s.node(), sample, "running", null));
                }
            }
        }

        /**
         * Records a job's result unless it has one: a job that succeeded while its task went on was recorded then
         * (its record committed where it ran), and comes again with the task's result, or from a retried task as
         * reused. A job reused from its record and then made again in its task (a value kept in memory only, needed
         * after all) is logged as run.
         */
        private void recordOnce(JobResult r) {
            JobId id = new JobId(r.node(), new SampleKey(r.sample()));
            JobResult before = results.get(id);
            if (before == null) {
                record(r);
            } else if (before.succeeded() && before.cached() && r.succeeded() && !r.cached()) {
                results.put(id, r);
                byLabel.put(r.label(), r);
                synchronized (announced) {
                    events.emit(RunEvent.job(r.start(), r.node(), r.sampleName(), "running", "made again"));
                    events.emit(RunEvent.job(r.end(), r.node(), r.sampleName(), "succeeded", null));
                }
            }
        }

        private void record(JobResult r) {
            JobId id = new JobId(r.node(), new SampleKey(r.sample()));
            results.put(id, r);
            pending.remove(id);
            if (sinkWriting != null) {
                sinkWriting.recorded(id);
            }
            byLabel.put(r.label(), r);
            String state = switch (r.status()) {
                case SUCCEEDED -> r.cached() ? "cached" : "succeeded";
                case FAILED -> "failed";
                case MISSING -> "missing";
            };
            synchronized (announced) {
                // A job that ran before its start reached the driver (a short job on Spark between two
                // heartbeats): its record has the start, logged now so that every run job has its running line.
                boolean first = announced.add(r.node() + "\u0000" + r.sampleName());
                if (first && r.start() > 0 && !r.cached() && r.status() != JobResult.Status.MISSING) {
                    events.emit(RunEvent.job(r.start(), r.node(), r.sampleName(), "running", null));
                }
                // A job that ran ended when its record says; a reused (cached) record's end is an earlier run's.
                boolean ran = r.end() > 0 && !r.cached();
                events.emit(RunEvent.job(ran ? r.end() : System.currentTimeMillis(), r.node(), r.sampleName(), state, r.error()));
            }
        }

        // ---- sinks ----

        /** One output of a sink for one sample, as planned. */
        private record SinkItem(String sink, SinkPlan.Item item, String key) {}

        /** One value bound for a sink, with what made it. */
        private record SinkValue(StoredValue stored, ProvenanceDocument.Produced produced, String node, String port) {}

        /**
         * Writes each sink output as soon as the jobs it comes from have their results, while the rest of the run
         * goes on (so results appear during a run, not all at its end). Every sink folder this run writes to is
         * taken at the start, in one order, so that two runs never wait for each other; an item that is never
         * complete is reported at the end.
         */
        private final class SinkWriting {
            private final Map<String, int[]> counts = new LinkedHashMap<>();
            private final Map<String, String> targets = new HashMap<>();
            private final List<RunReport.Missing> problems = new ArrayList<>();
            private final List<FolderLock> held = new ArrayList<>();
            /** Sink folders held by another run: why their outputs are not written. */
            private final Map<String, String> blocked = new HashMap<>();
            /** Items dealt with (written, being written or reported), by sink and sample. */
            private final Set<String> done = new java.util.HashSet<>();
            /** Items of the current plan to look at, and those waiting for a job's result (looked at once it has one). */
            private final List<SinkItem> unchecked = new ArrayList<>();
            private final Map<JobId, List<SinkItem>> waitingFor = new HashMap<>();
            private JobGraph planned;
            /** Writes out, per batch. */
            private final Map<Object, List<SinkWrite>> out = new HashMap<>();
            private int batch;

            SinkWriting() {
                java.util.TreeSet<String> bases = new java.util.TreeSet<>();
                for (Sink sink : spec.network().sinks()) {
                    counts.computeIfAbsent(sink.id(), k -> new int[2]);
                    bases.add(SinkTarget.base(sink.url()).toString());
                }
                for (String b : bases) {
                    try {
                        held.add(FolderLock.acquire(storage, URI.create(b), "run '" + spec.runId() + "' (run folder " + runDir
                                + ")", spec.writes().waitForLock()));
                    } catch (IOException e) {
                        // Another run writes there: leave this sink's outputs alone and say so (exit 1), run the rest.
                        blocked.put(b, "not written: sink folder " + e.getMessage()
                                + (e instanceof FolderLock.HeldException ? "; rerun with --resume --wait" : ""));
                    }
                }
            }

            /** Starts writing every sink output whose values are all there now. */
            void writeReady(JobGraph graph, Batches batches) {
                if (graph != planned) {
                    // A new plan (after an expansion): every item of it is looked at again.
                    planned = graph;
                    unchecked.clear();
                    waitingFor.clear();
                    for (SinkPlan sp : graph.sinks()) {
                        if (sp.deferred().isEmpty()) {
                            sp.items().forEach(i -> unchecked.add(new SinkItem(sp.sink(), i, sp.sink() + "\u0000" + i.sample())));
                        }
                    }
                }
                List<SinkItem> now = new ArrayList<>(unchecked);
                unchecked.clear();
                List<SinkWrite> writes = new ArrayList<>();
                for (SinkItem si : now) {
                    SinkPlan.Item item = si.item();
                    if (done.contains(si.key()) || item.missing().isPresent()) {
                        continue;
                    }
                    JobId waiting = item.values().stream().map(ValueRef::producer)
                            .filter(p -> p != null && !results.containsKey(p)).findFirst().orElse(null);
                    if (waiting != null) {
                        waitingFor.computeIfAbsent(waiting, k -> new ArrayList<>()).add(si);
                        continue;
                    }
                    done.add(si.key());
                    String sample = item.sample().toString();
                    int[] c = counts.computeIfAbsent(si.sink(), k -> new int[2]);
                    Optional<String> why = unavailable(item.values());
                    if (why.isPresent()) {
                        problems.add(new RunReport.Missing("sink:" + si.sink(), sample, why.get()));
                        c[1]++;
                        continue;
                    }
                    Sink sink = spec.network().sink(si.sink()).orElseThrow();
                    for (SinkWrite w : sinkWrites(sink, sample, item.values(), problems)) {
                        String other = targets.putIfAbsent(w.target(), sample);
                        String base = baseOf(w);
                        if (other != null) {
                            problems.add(new RunReport.Missing("sink:" + si.sink(), sample, "would overwrite " + w.target()
                                    + " written for sample '" + other + "'; put {sample_id} into the sink's url"));
                            c[1]++;
                        } else if (blocked.containsKey(base)) {
                            problems.add(new RunReport.Missing("sink:" + w.sink(), w.sample(), blocked.get(base)));
                            c[1]++;
                        } else {
                            writes.add(w);
                        }
                    }
                }
                if (!writes.isEmpty()) {
                    Object tag = "sinks " + ++batch;
                    out.put(tag, writes);
                    if (executor.runsTasksInThisJvm()) {
                        batches.startHere(tag, writes, driverWorker());
                    } else {
                        batches.start(tag, writes, "cohortflow network '" + spec.network().id() + "', run '" + spec.runId()
                                + "': " + writes.size() + (writes.size() == 1 ? " sink write" : " sink writes"));
                    }
                }
            }

            /** A job has its result: the items that waited for it are looked at again. */
            void recorded(JobId id) {
                List<SinkItem> ready = waitingFor.remove(id);
                if (ready != null) {
                    unchecked.addAll(ready);
                }
            }

            void written(Object tag, SinkWrite.Result r) {
                int[] c = counts.get(r.sink());
                if (r.error() == null) {
                    c[0]++;
                    events.emit(new RunEvent(System.currentTimeMillis(), "sink", "sink:" + r.sink(), r.sample(), "written", r.target()));
                } else {
                    c[1]++;
                    problems.add(new RunReport.Missing("sink:" + r.sink(), r.sample(), r.error()));
                    events.emit(new RunEvent(System.currentTimeMillis(), "sink", "sink:" + r.sink(), r.sample(), "failed", r.error()));
                }
                List<SinkWrite> ws = out.get(tag);
                if (ws != null) {
                    ws.removeIf(w -> w.target().equals(r.target()));
                }
            }

            /** The executor failed under a batch of writes: those without result are reported. */
            void batchFailed(Object tag, RuntimeException e) {
                for (SinkWrite w : out.getOrDefault(tag, List.of())) {
                    counts.get(w.sink())[1]++;
                    problems.add(new RunReport.Missing("sink:" + w.sink(), w.sample(), "not written: the " + executor.name()
                            + " executor failed: " + e.getMessage()));
                }
                out.remove(tag);
            }

            /** Reports every item never written, lets the sink folders go and sums up. */
            List<RunReport.SinkSummary> finish(JobGraph graph, List<RunReport.Missing> sinkProblems) {
                for (SinkPlan sp : graph.sinks()) {
                    int[] c = counts.computeIfAbsent(sp.sink(), k -> new int[2]);
                    if (sp.deferred().isPresent()) {
                        problems.add(new RunReport.Missing("sink:" + sp.sink(), "*", "never planned: " + sp.deferred().get()));
                        continue;
                    }
                    for (SinkPlan.Item item : sp.items()) {
                        String sample = item.sample().toString();
                        if (done.add(sp.sink() + "\u0000" + sample)) {
                            problems.add(new RunReport.Missing("sink:" + sp.sink(), sample,
                                    item.missing().or(() -> unavailable(item.values())).orElse("never written")));
                            c[1]++;
                        }
                    }
                }
                close();
                sinkProblems.addAll(problems);
                List<RunReport.SinkSummary> summary = new ArrayList<>();
                counts.forEach((k, c) -> summary.add(new RunReport.SinkSummary(k, c[0], c[1])));
                return summary;
            }

            /** Lets the sink folders go (also when the run failed). */
            void close() {
                for (FolderLock l : held) {
                    try {
                        l.close();
                    } catch (IOException e) {
                        problems.add(new RunReport.Missing("sink", "*", "cannot release a sink folder lock: " + e.getMessage()));
                    }
                }
                held.clear();
            }
        }

        private String baseOf(SinkWrite w) {
            return SinkTarget.base(spec.network().sink(w.sink()).orElseThrow().url()).toString();
        }

        private Optional<String> unavailable(List<ValueRef> values) {
            for (ValueRef v : values) {
                JobId p = v.producer();
                if (p != null) {
                    JobResult r = results.get(p);
                    if (r == null) {
                        return Optional.of("job " + p + " never ran");
                    }
                    if (!r.succeeded()) {
                        return Optional.of("job " + r.label() + (r.status() == JobResult.Status.FAILED ? " failed" : " is missing"));
                    }
                }
            }
            return Optional.empty();
        }

        private List<SinkWrite> sinkWrites(Sink sink, String sample, List<ValueRef> refs, List<RunReport.Missing> problems) {
            try {
                return sinkWritesOrThrow(sink, sample, refs, problems);
            } catch (IllegalArgumentException e) {
                // A target that would leave the sink's folder: nothing of this sample is written there.
                problems.add(new RunReport.Missing("sink:" + sink.id(), sample, "not written: " + e.getMessage()));
                return List.of();
            }
        }

        private List<SinkWrite> sinkWritesOrThrow(Sink sink, String sample, List<ValueRef> refs,
                                                  List<RunReport.Missing> problems) {
            List<SinkValue> values = new ArrayList<>();
            try {
                for (ValueRef r : refs) {
                    values.addAll(sinkValues(r));
                }
            } catch (IllegalArgumentException e) {
                problems.add(new RunReport.Missing("sink:" + sink.id(), sample, e.getMessage()));
                return List.of();
            }
            if (values.isEmpty()) {
                return List.of();
            }
            String url = sink.url();
            boolean indexed = url.contains("{index}");
            boolean allText = values.stream().allMatch(v -> v.stored().kind() == StoredValue.Kind.TEXT);
            List<SinkWrite> out = new ArrayList<>();
            if (!indexed && values.size() > 1 && !allText) {
                problems.add(new RunReport.Missing("sink:" + sink.id(), sample, values.size()
                        + " files but the sink's url has no {index}: " + url));
                return List.of();
            }
            if (!indexed && allText) {
                StringBuilder text = new StringBuilder();
                values.forEach(v -> text.append(v.stored().text()).append('\n'));
                out.add(write(sink, sample, 0, values, text.toString(), null));
                return out;
            }
            for (int i = 0; i < values.size(); i++) {
                SinkValue v = values.get(i);
                if (v.stored().kind() == StoredValue.Kind.MEMORY || v.stored().kind() == StoredValue.Kind.TRANSIENT) {
                    problems.add(new RunReport.Missing("sink:" + sink.id(), sample, "a " + v.stored().type()
                            + " value that cannot be serialised cannot be stored"));
                    continue;
                }
                out.add(v.stored().kind() == StoredValue.Kind.TEXT
                        ? write(sink, sample, i, List.of(v), v.stored().text() + "\n", null)
                        : write(sink, sample, i, List.of(v), null, v.stored().text()));
            }
            return out;
        }

        private SinkWrite write(Sink sink, String sample, int index, List<SinkValue> values, String text, String copyFrom) {
            SinkValue first = values.get(0);
            String target = SinkTarget.resolve(sink.url(), Map.of("sample_id", sample, "sink", sink.id(),
                    "node", first.node(), "output", first.port(), "index", Integer.toString(index),
                    "ext", extension(first.stored()))).toString();
            String hash = text != null ? Storage.sha256(text.getBytes(StandardCharsets.UTF_8)) : first.stored().hash();
            String prov = ProvenanceDocument.forSinkOutput(spec.runId(), runDir.toString(), sink.id(), sample, target, hash,
                    values.stream().map(SinkValue::produced).toList(), byLabel, leftOutByLabel());
            return new SinkWrite(sink.id(), sample, target, text, copyFrom, prov, runDir.toString(), hash,
                    spec.writes().overwrite());
        }

        /** The left-out samples of each job, by {@code node/sample}, for provenance. */
        private Map<String, List<String>> leftOutByLabel() {
            Map<String, List<String>> out = new HashMap<>();
            leftOut.forEach((id, ls) -> out.put(id.node() + "/" + id.sample(),
                    ls.stream().map(l -> l.leftOutSample() + " (" + l.input() + "): " + l.reason()).toList()));
            return out;
        }

        private String extension(StoredValue v) {
            DataType t = tools.types().find(v.type()).orElse(null);
            return switch (v.kind()) {
                case TEXT -> "Json".equals(v.type()) ? ".json" : ".txt";
                case FILE -> t instanceof FileType ft ? ft.extensionOf(v.text().substring(v.text().lastIndexOf('/') + 1)) : "";
                case OBJECT -> t instanceof ValueType vt && vt.codec().isPresent()
                        && v.text().endsWith(vt.codec().get().extension()) ? vt.codec().get().extension() : ".bin";
                case MEMORY, TRANSIENT -> ".bin";
            };
        }

        private List<SinkValue> sinkValues(ValueRef r) {
            if (r instanceof ValueRef.SourceValue s) {
                DataType t = tools.types().find(sourceType(s.source())).orElseThrow();
                String text = sourceText(s.value());
                JobResult.Used used;
                StoredValue sv;
                if (t instanceof ValueType vt) {
                    String canonical = Values.canonical(vt, text);
                    String h = Values.hashText(canonical);
                    sv = new StoredValue(t.name(), StoredValue.Kind.TEXT, canonical, h, -1);
                    used = new JobResult.Used("value", 0, "source", s.source() + "[" + s.sampleId() + "]", null, s.index(), t.name(), null, h);
                } else {
                    String uri = Storage.toUri(text).toString();
                    sv = new StoredValue(t.name(), StoredValue.Kind.FILE, uri, null, -1);
                    used = new JobResult.Used("value", 0, "source", s.source() + "[" + s.sampleId() + "]", null, s.index(), t.name(), uri, null);
                }
                return List.of(new SinkValue(sv, new ProvenanceDocument.Produced(null, null, 0, sv.hash(), used), s.source(), ""));
            }
            if (r instanceof ValueRef.Literal l && tools.types().find(l.type()).orElseThrow() instanceof FileType ft) {
                String uri = Storage.toUri(l.text()).toString();
                StoredValue sv = new StoredValue(ft.name(), StoredValue.Kind.FILE, uri, null, -1);
                JobResult.Used used = new JobResult.Used("value", 0, "literal", uri, null, 0, ft.name(), uri, null);
                return List.of(new SinkValue(sv, new ProvenanceDocument.Produced(null, null, 0, null, used), "constant", ""));
            }
            if (r instanceof ValueRef.Literal l) {
                ValueType vt = (ValueType) tools.types().find(l.type()).orElseThrow();
                String canonical = Values.canonical(vt, l.text());
                String h = Values.hashText(canonical);
                StoredValue sv = new StoredValue(vt.name(), StoredValue.Kind.TEXT, canonical, h, -1);
                JobResult.Used used = new JobResult.Used("value", 0, "literal", canonical, null, 0, vt.name(), null, h);
                return List.of(new SinkValue(sv, new ProvenanceDocument.Produced(null, null, 0, h, used), "constant", ""));
            }
            JobResult p = results.get(r.producer());
            String port = r instanceof ValueRef.JobOutput o ? o.output() : ((ValueRef.JobOutputElement) r).output();
            List<StoredValue> vs = p.output(port).map(JobResult.Output::values).orElse(List.of());
            List<SinkValue> out = new ArrayList<>();
            for (int i = 0; i < vs.size(); i++) {
                if (r instanceof ValueRef.JobOutputElement e && e.index() != i) {
                    continue;
                }
                out.add(new SinkValue(vs.get(i), new ProvenanceDocument.Produced(p.label(), port, i, vs.get(i).hash(), null),
                        p.node(), port));
            }
            return out;
        }

        // ---- report ----

        private RunReport report(JobGraph graph, Instant start, List<RunReport.SinkSummary> sinks,
                                 List<RunReport.Missing> sinkProblems, List<String> problems) {
            Map<String, int[]> counts = new LinkedHashMap<>();
            graph.stages().forEach(s -> counts.put(s.node(), new int[4]));
            List<RunReport.Failure> failures = new ArrayList<>();
            List<RunReport.Missing> missing = new ArrayList<>();
            for (Stage s : graph.stages()) {
                if (s.deferred().isPresent()) {
                    missing.add(new RunReport.Missing(s.node(), "*", "never planned: " + s.deferred().get()));
                    continue;
                }
                for (Job j : s.jobs()) {
                    JobResult r = results.get(j.id());
                    int[] c = counts.get(s.node());
                    if (r == null) {
                        missing.add(new RunReport.Missing(s.node(), j.id().sample().toString(), "never ran"));
                        c[3]++;
                        continue;
                    }
                    switch (r.status()) {
                        case SUCCEEDED -> {
                            c[0]++;
                            if (r.cached()) {
                                c[1]++;
                            }
                        }
                        case FAILED -> {
                            c[2]++;
                            failures.add(new RunReport.Failure(r.node(), r.sampleName(), r.tool(), r.error(), r.command(),
                                    r.exitCode(), r.stderrTail(), r.folder()));
                        }
                        case MISSING -> {
                            c[3]++;
                            missing.add(new RunReport.Missing(r.node(), r.sampleName(), r.error()));
                        }
                    }
                }
            }
            List<RunReport.NodeSummary> nodes = new ArrayList<>();
            counts.forEach((n, c) -> nodes.add(new RunReport.NodeSummary(n, c[0], c[1], c[2], c[3])));
            return new RunReport(spec.runId(), spec.network().id(), executor.name(), runDir.toString(), start,
                    Instant.now(), nodes, failures, missing, sinks, sinkProblems,
                    leftOut.values().stream().flatMap(List::stream).toList(), problems);
        }
    }
}
