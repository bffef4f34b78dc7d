package org.cohortflow.governance.workflow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cohortflow.dsl.yaml.Fields;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.dsl.yaml.Location;
import org.cohortflow.dsl.yaml.Problem;
import org.cohortflow.dsl.yaml.Problems;
import org.cohortflow.dsl.yaml.YamlNode;
import org.cohortflow.dsl.yaml.YamlReader;

/**
 * Reads a workflow YAML file and checks all of it before anything runs: unknown keys, unknown states,
 * unreachable states, states with no way out that are not final, unknown callback types and arguments,
 * and CEL conditions that do not parse or type-check. Every problem is reported at once with
 * FILE:LINE:COL.
 */
public final class WorkflowParser {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private final CallbackCatalog catalog;

    public WorkflowParser(CallbackCatalog catalog) {
        this.catalog = catalog;
    }

    /** Reads and checks a workflow file. */
    public Workflow parse(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (java.io.IOException e) {
            throw new InvalidDefinitionException(new Problem(Location.described(file.toString()), "cannot read file: " + e.getMessage()));
        }
        return parse(text, file.toString());
    }

    /**
     * Reads and checks workflow text.
     *
     * @throws InvalidDefinitionException listing every problem
     */
    public Workflow parse(String text, String sourceName) {
        YamlNode root = YamlReader.read(text, sourceName);
        Problems problems = new Problems();
        String[] lines = text.split("\n", -1);
        Fields top = Fields.of(root, problems, "workflow", Set.of("workflow", "description", "initial", "variables", "states"))
                .orElse(null);
        if (top == null) {
            problems.throwIfAny();
        }
        String name = top.requiredString("workflow").orElse("?");
        if (!name.equals("?") && !name.matches("[a-z0-9][a-z0-9_.-]*")) {
            problems.add(top.node("workflow").orElseThrow().location(), "workflow name must be lower-case letters, digits, '.', '_' or '-'");
        }
        String initial = top.requiredString("initial").orElse(null);

        Map<String, VariableType> variables = new LinkedHashMap<>();
        top.mappingAt("variables").ifPresent(m -> m.entries().values().forEach(e -> {
            if (!NAME.matcher(e.key()).matches()) {
                problems.add(e.keyLocation(), "variable name '" + e.key() + "' must be letters, digits or '_'");
            }
            String t = e.value() instanceof YamlNode.Scalar s ? s.text() : null;
            Optional<VariableType> vt = VariableType.parse(t);
            if (vt.isEmpty()) {
                problems.add(e.value().location(), "variable '" + e.key() + "' has unknown type '" + t
                        + "' (int, double, string, bool, list, map)");
            } else {
                variables.put(e.key(), vt.get());
            }
        }));

        Optional<YamlNode.Mapping> statesNode = top.mappingAt("states");
        if (statesNode.isEmpty() || statesNode.get().entries().isEmpty()) {
            problems.add(top.keyLocation("states"), "workflow needs a 'states' mapping with at least one state");
            problems.throwIfAny();
        }

        // First pass: structure and every callback name, since callback conditions may look at any of them.
        record RawState(String name, Location at, boolean fin, List<YamlNode.Mapping> callbacks,
                        List<YamlNode.Mapping> transitions) {}
        List<RawState> raw = new ArrayList<>();
        Set<String> allCallbackNames = new LinkedHashSet<>();
        for (YamlNode.Mapping.Entry e : statesNode.get().entries().values()) {
            if (!NAME.matcher(e.key()).matches()) {
                problems.add(e.keyLocation(), "state name '" + e.key() + "' must be letters, digits or '_'");
            }
            YamlNode v = e.value();
            if (v instanceof YamlNode.Scalar s && s.isNull()) {
                raw.add(new RawState(e.key(), e.keyLocation(), false, List.of(), List.of()));
                continue;
            }
            Optional<Fields> sf = Fields.of(v, problems, "state '" + e.key() + "'", Set.of("final", "callbacks", "transitions", "description"));
            if (sf.isEmpty()) {
                continue;
            }
            boolean fin = sf.get().bool("final").orElse(false);
            List<YamlNode.Mapping> cbs = mappings(sf.get().sequenceAt("callbacks"), problems, "callback");
            List<YamlNode.Mapping> trs = mappings(sf.get().sequenceAt("transitions"), problems, "transition");
            for (YamlNode.Mapping c : cbs) {
                c.get("name").filter(n -> n instanceof YamlNode.Scalar).map(n -> ((YamlNode.Scalar) n).text())
                        .ifPresent(allCallbackNames::add);
            }
            raw.add(new RawState(e.key(), e.keyLocation(), fin, cbs, trs));
        }
        Set<String> stateNames = new LinkedHashSet<>();
        raw.forEach(r -> stateNames.add(r.name()));
        if (initial != null && !stateNames.contains(initial)) {
            problems.add(top.node("initial").orElseThrow().location(), "unknown state '" + initial + "' (states: "
                    + String.join(", ", stateNames) + ")");
        }

        ConditionEnvironment callbackEnv = ConditionEnvironment.of(variables, allCallbackNames);
        Map<String, Workflow.State> states = new LinkedHashMap<>();
        for (RawState r : raw) {
            List<Workflow.CallbackSpec> callbacks = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (YamlNode.Mapping c : r.callbacks()) {
                callback(c, r.name(), callbackEnv, problems, lines).ifPresent(cb -> {
                    if (!seen.add(cb.name())) {
                        problems.add(cb.location(), "state '" + r.name() + "' has two callbacks named '" + cb.name() + "'");
                    }
                    callbacks.add(cb);
                });
            }
            ConditionEnvironment transitionEnv = ConditionEnvironment.of(variables, seen);
            List<Workflow.Transition> transitions = new ArrayList<>();
            Set<String> targets = new HashSet<>();
            for (YamlNode.Mapping t : r.transitions()) {
                Optional<Fields> tf = Fields.of(t, problems, "transition of state '" + r.name() + "'", Set.of("to", "condition", "manual", "interrupt"));
                if (tf.isEmpty()) {
                    continue;
                }
                Optional<String> to = tf.get().requiredString("to");
                if (to.isPresent() && !stateNames.contains(to.get())) {
                    problems.add(t.get("to").orElseThrow().location(), "unknown state '" + to.get() + "' (states: "
                            + String.join(", ", stateNames) + ")");
                }
                if (to.isPresent() && !targets.add(to.get())) {
                    problems.add(t.get("to").orElseThrow().location(), "state '" + r.name() + "' has two transitions to '" + to.get() + "'");
                }
                Condition cond = condition(tf.get(), t, transitionEnv, problems, lines);
                boolean manual = tf.get().bool("manual").orElse(false);
                boolean interrupt = tf.get().bool("interrupt").orElse(false);
                if (interrupt && (manual || !t.get("condition").isPresent())) {
                    problems.add(t.location(), "transition of state '" + r.name() + "' to '" + to.orElse("?") + "': 'interrupt: true'"
                            + " needs a condition and is not 'manual' (it fires by itself while callbacks are pending)");
                }
                to.ifPresent(dest -> transitions.add(new Workflow.Transition(dest, cond, manual, interrupt, t.location())));
            }
            if (!r.fin() && transitions.isEmpty()) {
                problems.add(r.at(), "state '" + r.name() + "' has no way out and is not marked final (add transitions or 'final: true')");
            }
            states.put(r.name(), new Workflow.State(r.name(), r.fin(), callbacks, transitions, r.at()));
        }
        if (initial != null && states.containsKey(initial)) {
            Set<String> reached = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>(List.of(initial));
            while (!todo.isEmpty()) {
                String s = todo.pop();
                if (reached.add(s) && states.containsKey(s)) {
                    states.get(s).transitions().forEach(t -> todo.push(t.to()));
                }
            }
            for (Workflow.State s : states.values()) {
                if (!reached.contains(s.name())) {
                    problems.add(s.location(), "state '" + s.name() + "' is unreachable from the initial state '" + initial + "'");
                }
            }
        }
        problems.throwIfAny();
        return new Workflow(name, top.string("description").orElse(""), initial, variables, states, text);
    }

    private static List<YamlNode.Mapping> mappings(Optional<YamlNode.Sequence> seq, Problems problems, String what) {
        List<YamlNode.Mapping> out = new ArrayList<>();
        seq.ifPresent(s -> s.items().forEach(i -> {
            if (i instanceof YamlNode.Mapping m) {
                out.add(m);
            } else {
                problems.add(i.location(), what + " must be a mapping, found " + i.kind());
            }
        }));
        return out;
    }

    private Optional<Workflow.CallbackSpec> callback(YamlNode.Mapping c, String state, ConditionEnvironment env,
                                                     Problems problems, String[] lines) {
        Optional<Fields> cf = Fields.of(c, problems, "callback of state '" + state + "'", Set.of("name", "type", "args",
                "runTimeout", "waitTimeout", "initialDelay", "retries", "retryDelay", "condition"));
        if (cf.isEmpty()) {
            return Optional.empty();
        }
        Fields f = cf.get();
        Optional<String> name = f.requiredString("name");
        if (name.isPresent() && !NAME.matcher(name.get()).matches()) {
            problems.add(c.get("name").orElseThrow().location(), "callback name '" + name.get() + "' must be letters, digits or '_'");
        }
        Optional<String> type = f.requiredString("type");
        Map<String, Object> args = new LinkedHashMap<>();
        Optional<YamlNode.Mapping> argNode = f.mappingAt("args");
        argNode.ifPresent(m -> m.entries().forEach((k, e) -> args.put(k, plain(e.value()))));
        if (type.isPresent()) {
            Optional<CallbackCatalog.Arguments> spec = catalog.arguments(type.get());
            if (spec.isEmpty()) {
                problems.add(c.get("type").orElseThrow().location(), "unknown callback type '" + type.get() + "' (known: "
                        + String.join(", ", new TreeSet<>(catalog.types())) + ")");
            } else {
                argNode.ifPresent(m -> m.entries().values().forEach(e -> {
                    if (!spec.get().allows(e.key())) {
                        problems.add(e.keyLocation(), "unknown argument '" + e.key() + "' for callback type '" + type.get()
                                + "' (arguments: " + String.join(", ", new TreeSet<>(union(spec.get()))) + ")");
                    }
                }));
                for (String req : new TreeSet<>(spec.get().required())) {
                    if (!args.containsKey(req)) {
                        problems.add(argNode.map(YamlNode::location).orElse(c.location()),
                                "callback '" + name.orElse("?") + "' of type '" + type.get() + "' needs argument '" + req + "'");
                    }
                }
            }
        }
        Duration run = duration(f, "runTimeout", Duration.ofMinutes(10), problems);
        Duration wait = duration(f, "waitTimeout", Duration.ofDays(7), problems);
        Duration delay = duration(f, "initialDelay", Duration.ZERO, problems);
        Duration retryDelay = duration(f, "retryDelay", Duration.ofSeconds(10), problems);
        int retries = f.integer("retries", 0).map(Long::intValue).orElse(0);
        Condition cond = condition(f, c, env, problems, lines);
        if (name.isEmpty() || type.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Workflow.CallbackSpec(name.get(), type.get(), args, run, wait, delay, retries, retryDelay,
                cond, c.location()));
    }

    private static Set<String> union(CallbackCatalog.Arguments a) {
        Set<String> s = new HashSet<>(a.required());
        s.addAll(a.optional());
        return s;
    }

    private static Duration duration(Fields f, String key, Duration dflt, Problems problems) {
        Optional<String> s = f.string(key);
        if (s.isEmpty()) {
            return dflt;
        }
        Matcher m = DURATION.matcher(s.get().trim());
        if (!m.matches()) {
            problems.add(f.node(key).orElseThrow().location(), "'" + key + "' must be a duration like 500ms, 30s, 5m, 2h or 1d, found '" + s.get() + "'");
            return dflt;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** Compiles the {@code condition} key of a mapping, reporting CEL errors at their place in the file. */
    private static Condition condition(Fields f, YamlNode.Mapping m, ConditionEnvironment env, Problems problems, String[] lines) {
        Optional<String> expr = f.string("condition");
        if (expr.isEmpty()) {
            return null;
        }
        ConditionEnvironment.Checked checked = env.check(expr.get());
        Location at = m.get("condition").orElseThrow().location();
        for (ConditionEnvironment.ExpressionError e : checked.errors()) {
            problems.add(locate(at, e, lines), "condition does not type-check: " + e.message());
        }
        return checked.condition();
    }

    /**
     * Where an error inside an expression is in the file: on the expression's first line, the scalar's
     * column plus the error's column (plus one for an opening quote); on later lines of a block scalar,
     * the line below with the error's column after the block's indentation.
     */
    static Location locate(Location scalar, ConditionEnvironment.ExpressionError e, String[] lines) {
        if (!scalar.inFile()) {
            return scalar;
        }
        String line = scalar.line() - 1 < lines.length ? lines[scalar.line() - 1] : "";
        int startCol = scalar.column();
        char first = startCol - 1 < line.length() ? line.charAt(startCol - 1) : ' ';
        if (first == '|' || first == '>') {
            int fileLine = scalar.line() + e.line();
            String body = fileLine - 1 < lines.length ? lines[fileLine - 1] : "";
            int indent = body.length() - body.stripLeading().length();
            return new Location(scalar.source(), fileLine, indent + e.column());
        }
        int quote = first == '"' || first == '\'' ? 1 : 0;
        if (e.line() == 1) {
            return new Location(scalar.source(), scalar.line(), startCol + quote + e.column() - 1);
        }
        return new Location(scalar.source(), scalar.line() + e.line() - 1, e.column());
    }

    private static Object plain(YamlNode node) {
        if (node instanceof YamlNode.Mapping m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.entries().forEach((k, e) -> out.put(k, plain(e.value())));
            return out;
        }
        if (node instanceof YamlNode.Sequence s) {
            List<Object> out = new ArrayList<>();
            s.items().forEach(i -> out.add(plain(i)));
            return out;
        }
        String t = ((YamlNode.Scalar) node).text();
        return t == null ? "" : t;
    }
}
