package org.cohortflow.governance.engine;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.cohortflow.governance.callback.CallbackRequest;
import org.cohortflow.governance.callback.CallbackType;
import org.cohortflow.governance.callback.CallbackTypes;
import org.cohortflow.governance.callback.Outcome;
import org.cohortflow.governance.model.CallbackExecution;
import org.cohortflow.governance.model.CallbackStore;
import org.cohortflow.governance.model.Experiment;
import org.cohortflow.governance.model.ExperimentStore;
import org.cohortflow.governance.model.JsonText;
import org.cohortflow.governance.model.Scan;
import org.cohortflow.governance.workflow.Condition;
import org.cohortflow.governance.workflow.VariableType;
import org.cohortflow.governance.workflow.Workflow;
import org.cohortflow.governance.workflow.WorkflowStore;
import org.cohortflow.server.audit.AuditLog;
import org.cohortflow.server.auth.PasswordHasher;
import org.cohortflow.server.db.Database;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves experiments through their workflows, from the database. Entering a state creates its callback
 * executions; each execution goes queued → running → (waiting →) finished, with its timeouts and retries
 * kept as due times in its row; once every callback of the state entry is resolved, the transitions are
 * tried in order and the first whose condition holds fires.
 *
 * <p>Every step is one transaction that first locks the experiment's row and then checks that the step
 * still applies (the execution still has the status and attempt the step expects, the state entry is still
 * current), so a step that arrives twice — a late answer, a stale timer, a replay after a crash — changes
 * nothing. Timers and attempts are started only after their transaction commits. After {@code kill -9}
 * the engine rebuilds its timers from the rows and restarts the attempts that were running.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final int MAX_CHAIN = 25;
    private final Database db;
    private final WorkflowStore workflows;
    private final CallbackTypes types;
    private final AuditLog audit;
    private final Clock clock;
    private final Supplier<URI> publicBase;
    private final Path workRoot;
    private final ExperimentStore experiments = new ExperimentStore();
    private final CallbackStore callbacks = new CallbackStore();
    private final PasswordHasher secrets = new PasswordHasher(4);
    private final String runnerId = UUID.randomUUID().toString();
    private final ExecutorService workers;
    private final ExecutorService attempts;
    private final Scheduler scheduler;
    private final AtomicInteger transitions = new AtomicInteger();

    /**
     * @param publicBase the governor's base URL as callers reach it (for callback URLs)
     * @param workRoot   folder under which callbacks get their work folders
     */
    public Engine(Database db, WorkflowStore workflows, CallbackTypes types, AuditLog audit, Clock clock,
                  Supplier<URI> publicBase, Path workRoot) {
        this.db = db;
        this.workflows = workflows;
        this.types = types;
        this.audit = audit;
        this.clock = clock;
        this.publicBase = publicBase;
        this.workRoot = workRoot;
        this.workers = Executors.newFixedThreadPool(4, r -> Scheduler.daemon(r, "governor-engine"));
        this.attempts = Executors.newCachedThreadPool(r -> Scheduler.daemon(r, "governor-callback"));
        this.scheduler = new Scheduler(clock, workers, this::onDue);
    }

    /**
     * Resumes from the database: attempts left running by a previous process go back to the queue, and
     * every pending execution gets its timer.
     */
    public void start() {
        int requeued = db.inTransaction(h -> callbacks.requeueInterrupted(h, runnerId, clock.instant()));
        if (requeued > 0) {
            LOG.info("requeued {} callback attempt(s) interrupted by a restart", requeued);
        }
        List<CallbackExecution> pending = db.withHandle(callbacks::pending);
        for (CallbackExecution c : pending) {
            scheduler.at(c.id(), c.dueAt() == null ? clock.instant() : c.dueAt());
        }
        scheduler.every(Duration.ofSeconds(15), this::sweep);
        LOG.info("engine started; {} pending callback(s)", pending.size());
    }

    /** Transitions fired by this engine since it started (for benchmarks and the health page). */
    public int transitionsFired() {
        return transitions.get();
    }

    /**
     * Runs {@code work} in one transaction with the engine's effects; timers and attempts it asks for start
     * after the commit. Retries a few times when the database reports a lock conflict.
     */
    public <T> T inTransaction(BiFunction<Handle, Effects, T> work) {
        for (int attempt = 1; ; attempt++) {
            Effects fx = new Effects();
            try {
                T result = db.inTransaction(h -> work.apply(h, fx));
                apply(fx);
                return result;
            } catch (RuntimeException e) {
                if (attempt >= 5 || !isLockConflict(e)) {
                    throw e;
                }
                LOG.debug("lock conflict, retrying: {}", e.toString());
            }
        }
    }

    private static boolean isLockConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s) {
                String state = s.getSQLState();
                if ("40001".equals(state) || "40P01".equals(state) || "HYT00".equals(state) || "55P03".equals(state)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void apply(Effects fx) {
        fx.timers.forEach(t -> scheduler.at(t.executionId(), t.due()));
        for (Effects.Launch l : fx.launches) {
            attempts.execute(() -> runAttempt(l));
        }
    }

    // ---------------------------------------------------------------- entering states and transitions

    /**
     * Puts a new experiment into its workflow's initial state (in the caller's transaction).
     */
    public void enterInitial(Handle h, Effects fx, long experimentId, String actor) {
        Experiment e = experiments.lock(h, experimentId).orElseThrow();
        Workflow w = workflows.load(h, e.workflowId());
        long action = experiments.recordAction(h, experimentId, null, w.initial(), "create", actor, "experiment created", now());
        audit.record(h, actor, "experiment.create", "experiment/" + experimentId, "entered '" + w.initial() + "'");
        enterState(h, fx, experimentId, w, action);
        advance(h, fx, experimentId);
    }

    /** Outcome of asking for a manual transition. */
    public enum ManualResult { FIRED, NOT_A_TRANSITION, UNKNOWN_STATE, NO_EXPERIMENT }

    /**
     * Moves an experiment along a transition its workflow defines, on a person's request (in the caller's
     * transaction). Pending callbacks of the state it leaves are skipped.
     */
    public ManualResult transitionManually(Handle h, Effects fx, long experimentId, String to, String actor, String reason) {
        Optional<Experiment> found = experiments.lock(h, experimentId);
        if (found.isEmpty()) {
            return ManualResult.NO_EXPERIMENT;
        }
        Experiment e = found.get();
        Workflow w = workflows.load(h, e.workflowId());
        if (!w.states().containsKey(to)) {
            return ManualResult.UNKNOWN_STATE;
        }
        if (w.transition(e.state(), to).isEmpty()) {
            return ManualResult.NOT_A_TRANSITION;
        }
        fire(h, fx, e, w, to, "manual", actor, reason == null || reason.isBlank() ? "manual transition" : reason);
        advance(h, fx, experimentId);
        return ManualResult.FIRED;
    }

    /**
     * Tries the transitions of an experiment whose callbacks are all resolved, or only its {@code interrupt}
     * transitions while some are pending (in the caller's transaction; the experiment row must be locked).
     * Used after a callback resolves, a variable changes and scans are added.
     */
    public void advance(Handle h, Effects fx, long experimentId) {
        for (int chain = 0; chain < MAX_CHAIN; chain++) {
            Experiment e = experiments.find(h, experimentId).orElseThrow();
            Workflow w = workflows.load(h, e.workflowId());
            Workflow.State state = w.state(e.state());
            List<CallbackExecution> execs = callbacks.forEntry(h, e.entryActionId());
            boolean pending = execs.stream().anyMatch(c -> !c.resolved());
            if (pending && state.transitions().stream().noneMatch(Workflow.Transition::interrupt)) {
                return;
            }
            Map<String, Object> facts = facts(h, e, w);
            Workflow.Transition chosen = null;
            for (Workflow.Transition t : state.transitions()) {
                if (t.manual() || (pending && !t.interrupt())) {
                    continue;
                }
                try {
                    if (t.condition() == null || t.condition().test(facts)) {
                        chosen = t;
                        break;
                    }
                } catch (Condition.ConditionFailure f) {
                    audit.record(h, "governor", "condition.error", "experiment/" + experimentId,
                            "transition " + e.state() + " -> " + t.to() + ": " + f.getMessage());
                }
            }
            if (chosen == null) {
                return;
            }
            fire(h, fx, e, w, chosen.to(), "auto", "governor",
                    chosen.condition() == null ? "no condition" : "condition held: " + chosen.condition().source());
        }
        audit.record(h, "governor", "experiment.loop", "experiment/" + experimentId,
                "stopped after " + MAX_CHAIN + " automatic transitions in one step; the workflow loops");
    }

    private void fire(Handle h, Effects fx, Experiment e, Workflow w, String to, String kind, String actor, String reason) {
        Instant now = now();
        for (CallbackExecution c : callbacks.forEntry(h, e.entryActionId())) {
            if (!c.resolved()) {
                callbacks.markSkipped(h, c.id(), "the experiment left state '" + e.state() + "' (" + kind + " transition to '" + to + "')", now);
            }
        }
        long action = experiments.recordAction(h, e.id(), e.state(), to, kind, actor, reason, now);
        audit.record(h, actor, "experiment.transition", "experiment/" + e.id(), e.state() + " -> " + to + " (" + kind + "): " + reason);
        transitions.incrementAndGet();
        enterState(h, fx, e.id(), w, action);
    }

    private void enterState(Handle h, Effects fx, long experimentId, Workflow w, long action) {
        Experiment e = experiments.find(h, experimentId).orElseThrow();
        Workflow.State state = w.state(e.state());
        Map<String, Object> facts = state.callbacks().stream().anyMatch(c -> c.condition() != null) ? facts(h, e, w) : Map.of();
        Instant now = now();
        int position = 0;
        for (Workflow.CallbackSpec spec : state.callbacks()) {
            String secret = secrets.randomSecret(24);
            String skip = null;
            if (spec.condition() != null) {
                try {
                    if (!spec.condition().test(facts)) {
                        skip = "condition is false: " + spec.condition().source();
                    }
                } catch (Condition.ConditionFailure f) {
                    skip = f.getMessage();
                    audit.record(h, "governor", "condition.error", "experiment/" + experimentId, "callback " + spec.name() + ": " + f.getMessage());
                }
            }
            if (skip != null) {
                long id = callbacks.create(h, experimentId, action, position++, spec.name(), spec.type(), "queued",
                        spec.retries() + 1, secret, null, null, now);
                callbacks.markSkipped(h, id, skip, now);
            } else {
                Instant due = now.plus(spec.initialDelay());
                long id = callbacks.create(h, experimentId, action, position++, spec.name(), spec.type(), "queued",
                        spec.retries() + 1, secret, null, due, now);
                if (spec.initialDelay().isZero()) {
                    // Start at once, in this transaction: saves a timer hop and a transaction per state.
                    startAttempt(h, fx, e, w, callbacks.find(h, id).orElseThrow(), spec);
                } else {
                    fx.schedule(id, due);
                }
            }
        }
    }

    // ---------------------------------------------------------------- callback executions

    private void onDue(long executionId) {
        try {
            inTransaction((h, fx) -> {
                due(h, fx, executionId);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.error("callback execution {}: step failed", executionId, e);
        }
    }

    private void sweep() {
        try {
            for (long id : db.withHandle(h -> callbacks.due(h, now(), 500))) {
                onDue(id);
            }
        } catch (RuntimeException e) {
            LOG.warn("sweep failed: {}", e.toString());
        }
    }

    private void due(Handle h, Effects fx, long executionId) {
        Optional<Long> expId = callbacks.experimentOf(h, executionId);
        if (expId.isEmpty()) {
            return;
        }
        Experiment e = experiments.lock(h, expId.get()).orElseThrow();
        CallbackExecution c = callbacks.find(h, executionId).orElseThrow();
        if (c.resolved() || c.dueAt() == null) {
            return;
        }
        Instant now = now();
        if (c.dueAt().isAfter(now)) {
            fx.schedule(c.id(), c.dueAt()); // an early or stale timer: set the right one
            return;
        }
        Workflow w = workflows.load(h, e.workflowId());
        Workflow.CallbackSpec spec = spec(w, e, c);
        switch (c.status()) {
            case "queued" -> startAttempt(h, fx, e, w, c, spec);
            case "running" -> retryOrFinish(h, fx, e, c, spec, "timeout",
                    "attempt " + c.attempts() + " did not finish within " + spec.runTimeout());
            case "waiting" -> retryOrFinish(h, fx, e, c, spec, "timeout",
                    "no answer within the wait timeout of " + spec.waitTimeout());
            default -> { }
        }
    }

    /** Marks the next attempt running (its run timeout set) and launches it once the transaction commits. */
    private void startAttempt(Handle h, Effects fx, Experiment e, Workflow w, CallbackExecution c, Workflow.CallbackSpec spec) {
        Instant now = now();
        int attempt = c.attempts() + 1;
        callbacks.markRunning(h, c.id(), attempt, now, now.plus(spec.runTimeout()), runnerId);
        fx.schedule(c.id(), now.plus(spec.runTimeout()));
        CallbackType type = types.type(c.type()).orElseThrow(() -> new IllegalStateException("unknown callback type " + c.type()));
        fx.launch(c.id(), attempt, type, request(h, e, w, c, spec, attempt));
    }

    /**
     * The attempt's work folder, {@code NAME-ID-attempt-N}; when that folder exists, an earlier start of the same
     * attempt used it and was interrupted by a restart (which puts the attempt back in the queue with the same
     * number), so this start gets the first free {@code NAME-ID-attempt-N-restart-K} instead: a pipeline run
     * refuses an existing run folder, and the interrupted start's files stay for inspection.
     */
    static Path freshWorkDir(Path experimentDir, String attemptName) {
        Path dir = experimentDir.resolve(attemptName);
        for (int restart = 1; java.nio.file.Files.exists(dir); restart++) {
            dir = experimentDir.resolve(attemptName + "-restart-" + restart);
        }
        return dir;
    }

    private CallbackRequest request(Handle h, Experiment e, Workflow w, CallbackExecution c, Workflow.CallbackSpec spec, int attempt) {
        List<Map<String, String>> scans = scanMaps(experiments.scans(h, e.id()));
        String secret = callbacks.secret(h, c.id()).orElseThrow();
        URI url = publicBase.get().resolve("/api/v1/callbacks/" + c.id());
        Path dir = freshWorkDir(workRoot.resolve("experiment-" + e.id()), c.name() + "-" + c.id() + "-attempt-" + attempt);
        return new CallbackRequest(c.id(), attempt, c.name(), spec.args(), secret, url, spec.runTimeout(),
                new CallbackRequest.ExperimentFacts(e.id(), e.label(), e.subject(), e.study(), e.state(),
                        experiments.variables(h, e.id()), scans), dir);
    }

    private void runAttempt(Effects.Launch l) {
        Outcome outcome;
        boolean timedOut = false;
        try {
            outcome = l.type().run(l.request());
        } catch (java.net.http.HttpTimeoutException | java.util.concurrent.TimeoutException ex) {
            // The callback's own clock saw the run timeout: the same verdict the engine's timer would give.
            timedOut = true;
            outcome = new Outcome.Finished(false, ex.getMessage(), Map.of(), Map.of());
        } catch (Exception ex) {
            outcome = new Outcome.Finished(false, ex.getMessage() == null ? ex.toString() : ex.getMessage(), Map.of(), Map.of());
        } catch (Error err) {
            outcome = new Outcome.Finished(false, "crashed: " + err, Map.of(), Map.of());
        }
        Outcome o = outcome;
        boolean timeout = timedOut;
        try {
            inTransaction((h, fx) -> {
                attemptEnded(h, fx, l.executionId(), l.attempt(), o, timeout);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.error("callback execution {}: recording its outcome failed", l.executionId(), e);
        }
    }

    private void attemptEnded(Handle h, Effects fx, long executionId, int attempt, Outcome o, boolean timedOut) {
        Long expId = callbacks.experimentOf(h, executionId).orElseThrow();
        Experiment e = experiments.lock(h, expId).orElseThrow();
        CallbackExecution c = callbacks.find(h, executionId).orElseThrow();
        if (!c.status().equals("running") || c.attempts() != attempt) {
            return; // timed out meanwhile, answered on the callback URL already, or a replay
        }
        Workflow w = workflows.load(h, e.workflowId());
        Workflow.CallbackSpec spec = spec(w, e, c);
        if (o instanceof Outcome.Waiting waiting) {
            Instant due = now().plus(spec.waitTimeout());
            callbacks.markWaiting(h, c.id(), due, waiting.message());
            fx.schedule(c.id(), due);
            return;
        }
        Outcome.Finished f = (Outcome.Finished) o;
        if (f.success()) {
            finish(h, fx, e, w, c, f, "governor");
        } else {
            retryOrFinish(h, fx, e, c, spec, timedOut ? "timeout" : "failed", f.message());
        }
    }

    /** What a caller of the callback URL gets. */
    public enum ExternalResult { ACCEPTED, ALREADY_RESOLVED, NO_SUCH_CALLBACK, WRONG_SECRET }

    /**
     * An answer on a callback's URL (an asynchronous webhook, the task service), authenticated by the
     * callback's secret. Answering an already resolved callback again changes nothing.
     */
    public ExternalResult answer(long executionId, String secret, Outcome.Finished result) {
        return inTransaction((h, fx) -> {
            Optional<Long> expId = callbacks.experimentOf(h, executionId);
            if (expId.isEmpty()) {
                return ExternalResult.NO_SUCH_CALLBACK;
            }
            Experiment e = experiments.lock(h, expId.get()).orElseThrow();
            String expected = callbacks.secret(h, executionId).orElseThrow();
            if (!PasswordHasher.sameSecret(expected, secret)) {
                return ExternalResult.WRONG_SECRET;
            }
            CallbackExecution c = callbacks.find(h, executionId).orElseThrow();
            if (c.resolved()) {
                return ExternalResult.ALREADY_RESOLVED;
            }
            // A queued execution can be answered too: the secret is only ever sent by a started attempt, so this
            // is the answer to an attempt that a restart put back in the queue.
            Workflow w = workflows.load(h, e.workflowId());
            if (result.success()) {
                finish(h, fx, e, w, c, result, "callback:" + executionId);
            } else {
                Workflow.CallbackSpec spec = spec(w, e, c);
                // A reported failure is the receiver's considered answer: retrying would ask the same question again.
                callbacks.markFinished(h, c.id(), "failed", result.message(), JsonText.write(result.output()), now());
                audit.record(h, "callback:" + executionId, "callback.finish", "experiment/" + e.id(),
                        c.name() + " failed: " + result.message() + " (" + spec.type() + ")");
                advance(h, fx, e.id());
            }
            return ExternalResult.ACCEPTED;
        });
    }

    private void finish(Handle h, Effects fx, Experiment e, Workflow w, CallbackExecution c, Outcome.Finished f, String actor) {
        Instant now = now();
        for (Map.Entry<String, Object> v : f.variables().entrySet()) {
            Object value = JsonText.normalise(v.getValue());
            VariableType declared = w.variables().get(v.getKey());
            if (declared != null && declared.coerce(value).isEmpty()) {
                callbacks.markFinished(h, c.id(), "failed", "variable '" + v.getKey() + "' must be " + declared.id()
                        + ", the callback gave " + value, JsonText.write(f.output()), now);
                audit.record(h, actor, "callback.finish", "experiment/" + e.id(), c.name() + " failed: bad variable " + v.getKey());
                advance(h, fx, e.id());
                return;
            }
            VariableType t = declared != null ? declared : VariableType.of(value);
            experiments.setVariable(h, e.id(), v.getKey(), t.id(), declared != null ? declared.coerce(value).orElseThrow() : value, actor, now);
        }
        callbacks.markFinished(h, c.id(), "success", f.message(), JsonText.write(f.output()), now);
        audit.record(h, actor, "callback.finish", "experiment/" + e.id(), c.name() + " succeeded: " + f.message());
        advance(h, fx, e.id());
    }

    private void retryOrFinish(Handle h, Effects fx, Experiment e, CallbackExecution c, Workflow.CallbackSpec spec, String result, String message) {
        Instant now = now();
        if (c.attempts() < c.maxAttempts()) {
            Instant due = now.plus(spec.retryDelay());
            callbacks.markQueued(h, c.id(), due, "attempt " + c.attempts() + " " + result + ": " + message + "; retrying");
            audit.record(h, "governor", "callback.retry", "experiment/" + e.id(), c.name() + " attempt " + c.attempts() + " " + result + ": " + message);
            fx.schedule(c.id(), due);
            return;
        }
        callbacks.markFinished(h, c.id(), result, message, null, now);
        audit.record(h, "governor", "callback.finish", "experiment/" + e.id(), c.name() + " " + result + " after "
                + c.attempts() + " attempt(s): " + message);
        advance(h, fx, e.id());
    }

    private static Workflow.CallbackSpec spec(Workflow w, Experiment e, CallbackExecution c) {
        return w.state(e.state()).callbacks().stream().filter(s -> s.name().equals(c.name())).findFirst()
                .orElseThrow(() -> new IllegalStateException("callback " + c.name() + " is not in state " + e.state()));
    }

    // ---------------------------------------------------------------- facts for conditions

    /** The names conditions see (see ConditionEnvironment), for one experiment now. */
    public Map<String, Object> facts(Handle h, Experiment e, Workflow w) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("experiment.id", e.id());
        f.put("experiment.label", e.label());
        f.put("experiment.subject", e.subject());
        f.put("experiment.study", e.study());
        f.put("experiment.state", e.state());
        experiments.variables(h, e.id()).forEach((k, v) -> {
            VariableType t = w.variables().get(k);
            Object value = t == null ? v : t.coerce(v).orElse(null);
            if (value != null) {
                f.put("vars." + k, value);
            }
        });
        f.put("scans", scanMaps(experiments.scans(h, e.id())));
        f.put("scans_added", scanMaps(experiments.scansAddedIn(h, e.id(), e.entryActionId())));
        Map<String, CallbackExecution> latest = new LinkedHashMap<>();
        for (CallbackExecution c : callbacks.forExperiment(h, e.id())) {
            latest.put(c.name(), c);
        }
        latest.forEach((name, c) -> {
            String p = "callbacks." + name + ".";
            f.put(p + "status", c.status());
            f.put(p + "result", c.result() == null ? "" : c.result());
            f.put(p + "message", c.message() == null ? "" : c.message());
            f.put(p + "attempts", (long) c.attempts());
            f.put(p + "output", c.output() == null ? Map.of() : JsonText.objectMap(c.output()));
        });
        return f;
    }

    private static List<Map<String, String>> scanMaps(List<Scan> list) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Scan s : list) {
            out.add(Map.of("label", s.label(), "modality", s.modality(), "kind", s.kind(), "url", s.url()));
        }
        return out;
    }

    private Instant now() {
        return clock.instant();
    }

    /** Stops timers and workers; running attempts are abandoned and resumed by the next start. */
    @Override
    public void close() {
        scheduler.close();
        workers.shutdownNow();
        attempts.shutdownNow();
    }
}
