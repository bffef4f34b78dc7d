package org.cohortflow.dsl.tool.commandline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.cohortflow.dsl.tool.Cardinality;
import org.cohortflow.dsl.tool.Durations;
import org.cohortflow.dsl.tool.PortSpec;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolId;
import org.cohortflow.dsl.types.DataType;
import org.cohortflow.dsl.types.TypeRegistry;
import org.cohortflow.dsl.types.ValueType;
import org.cohortflow.dsl.yaml.Fields;
import org.cohortflow.dsl.yaml.Location;
import org.cohortflow.dsl.yaml.Problems;
import org.cohortflow.dsl.yaml.YamlNode;
import org.cohortflow.dsl.yaml.YamlReader;

/**
 * Reads a command-line tool definition from YAML and checks it, reporting every problem with its
 * file, line and column. The format is documented in {@code docs/tools.md}.
 */
public final class CommandLineToolReader {
    private static final Set<String> TOOL_KEYS = Set.of("id", "description", "inputs", "outputs", "command",
            "resources", "timeout");
    private static final Set<String> INPUT_KEYS = Set.of("id", "type", "cardinality", "required", "default",
            "description");
    private static final Set<String> OUTPUT_KEYS = Set.of("id", "type", "cardinality", "description", "collect");
    private static final Set<String> COMMAND_KEYS = Set.of("executable", "arguments");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)i?b?", Pattern.CASE_INSENSITIVE);

    private final TypeRegistry types;

    public CommandLineToolReader(TypeRegistry types) {
        this.types = types;
    }

    public ToolDefinition read(Path file) {
        return read(YamlReader.read(file));
    }

    public ToolDefinition read(String yaml, String sourceName) {
        return read(YamlReader.read(yaml, sourceName));
    }

    private ToolDefinition read(YamlNode root) {
        Problems problems = new Problems();
        Fields tool = Fields.of(root, problems, "tool", TOOL_KEYS).orElse(null);
        if (tool == null) {
            problems.throwIfAny();
        }
        ToolId id = null;
        Optional<String> idText = tool.requiredString("id");
        if (idText.isPresent()) {
            try {
                id = ToolId.parse(idText.get());
            } catch (IllegalArgumentException e) {
                problems.add(tool.node("id").orElseThrow().location(), e.getMessage());
            }
        }
        List<PortSpec> inputs = ports(tool, "inputs", INPUT_KEYS, problems, null);
        Map<String, OutputCollector> collectors = new LinkedHashMap<>();
        List<PortSpec> outputs = ports(tool, "outputs", OUTPUT_KEYS, problems, collectors);

        Set<String> inputIds = new HashSet<>();
        inputs.forEach(p -> inputIds.add(p.id()));
        String executable = null;
        List<Argument> arguments = List.of();
        if (!tool.mapping().has("command")) {
            problems.add(tool.location(), "tool is missing required key 'command'");
        } else {
            Optional<Fields> cmd = Fields.of(tool.node("command").orElseThrow(), problems, "command", COMMAND_KEYS);
            if (cmd.isPresent()) {
                executable = cmd.get().requiredString("executable").orElse(null);
                arguments = cmd.get().sequenceAt("arguments").map(s -> arguments(s, inputIds, problems)).orElse(List.of());
            }
        }
        CommandLineSpec.Resources resources = tool.mappingAt("resources").map(m -> resources(m, problems))
                .orElse(CommandLineSpec.Resources.DEFAULT);
        Optional<Duration> timeout = tool.string("timeout").flatMap(t -> duration(t, tool.node("timeout").orElseThrow()
                .location(), problems));
        problems.throwIfAny();
        return new ToolDefinition(id, tool.string("description").orElse(""), inputs, outputs,
                new CommandLineSpec(executable, arguments, collectors, resources, timeout));
    }

    private List<PortSpec> ports(Fields tool, String key, Set<String> allowed, Problems problems,
                                 Map<String, OutputCollector> collectors) {
        boolean isOutput = collectors != null;
        List<PortSpec> result = new ArrayList<>();
        Optional<YamlNode.Sequence> list = tool.sequenceAt(key);
        if (list.isEmpty()) {
            if (isOutput && !tool.mapping().has(key)) {
                problems.add(tool.location(), "tool is missing required key 'outputs'");
            }
            return result;
        }
        Set<String> seen = new HashSet<>();
        int index = 0;
        for (YamlNode item : list.get().items()) {
            String what = (isOutput ? "output" : "input") + " #" + (++index);
            Optional<Fields> f = Fields.of(item, problems, what, allowed);
            if (f.isEmpty()) {
                continue;
            }
            Fields p = f.get();
            Optional<String> id = p.requiredString("id");
            Optional<String> typeName = p.requiredString("type");
            if (id.isEmpty() || typeName.isEmpty()) {
                continue;
            }
            what = (isOutput ? "output '" : "input '") + id.get() + "'";
            if (!seen.add(id.get())) {
                problems.add(p.node("id").orElseThrow().location(), "duplicate " + what);
                continue;
            }
            Optional<DataType> type = types.find(typeName.get());
            if (type.isEmpty()) {
                problems.add(p.node("type").orElseThrow().location(), "unknown data type '" + typeName.get()
                        + "' for " + what);
            }
            Cardinality card = Cardinality.ONE;
            Optional<String> c = p.string("cardinality");
            if (c.isPresent()) {
                try {
                    card = Cardinality.parse(c.get());
                } catch (IllegalArgumentException e) {
                    problems.add(p.node("cardinality").orElseThrow().location(), e.getMessage() + " for " + what);
                }
            }
            boolean required = p.bool("required").orElse(true);
            Optional<String> def = p.string("default");
            if (def.isPresent() && type.isPresent()) {
                checkLiteral(type.get(), def.get(), p.node("default").orElseThrow().location(),
                        "default of " + what, problems);
            }
            PortSpec spec;
            try {
                spec = new PortSpec(id.get(), typeName.get(), card, required, def, p.string("description").orElse(""));
            } catch (IllegalArgumentException e) {
                problems.add(p.node("id").orElseThrow().location(), e.getMessage());
                continue;
            }
            result.add(spec);
            if (isOutput) {
                Optional<OutputCollector> col = collector(p, what, problems);
                col.ifPresent(x -> collectors.put(id.get(), x));
            }
        }
        return result;
    }

    /** Records a problem when {@code text} is not a literal of {@code type}. */
    static void checkLiteral(DataType type, String text, Location where, String what, Problems problems) {
        if (type instanceof ValueType v && v.parser().isPresent()) {
            try {
                v.parse(text);
            } catch (IllegalArgumentException e) {
                problems.add(where, what + " is not a valid " + type.name() + ": " + e.getMessage());
            }
        }
    }

    private Optional<OutputCollector> collector(Fields output, String what, Problems problems) {
        if (!output.mapping().has("collect")) {
            problems.add(output.location(), what + " has no 'collect' (glob, stdout or json)");
            return Optional.empty();
        }
        Optional<Fields> f = Fields.of(output.node("collect").orElseThrow(), problems, "collect of " + what,
                Set.of("glob", "stdout", "json", "pointer"));
        if (f.isEmpty()) {
            return Optional.empty();
        }
        Fields c = f.get();
        int kinds = (c.mapping().has("glob") ? 1 : 0) + (c.mapping().has("stdout") ? 1 : 0) + (c.mapping().has("json") ? 1 : 0);
        if (kinds != 1) {
            problems.add(c.location(), "collect of " + what + " needs exactly one of glob, stdout or json");
            return Optional.empty();
        }
        if (c.mapping().has("glob")) {
            return c.string("glob").map(OutputCollector.PathGlob::new);
        }
        if (c.mapping().has("stdout")) {
            Optional<String> re = c.string("stdout");
            if (re.isPresent()) {
                try {
                    Pattern.compile(re.get());
                } catch (PatternSyntaxException e) {
                    problems.add(c.node("stdout").orElseThrow().location(), "invalid regular expression for " + what
                            + ": " + e.getDescription());
                    return Optional.empty();
                }
            }
            return re.map(OutputCollector.StdoutRegex::new);
        }
        String pointer = c.string("pointer").orElse("");
        if (!pointer.isEmpty() && !pointer.startsWith("/")) {
            problems.add(c.node("pointer").orElseThrow().location(), "JSON pointer of " + what + " must start with '/'");
        }
        return c.string("json").map(j -> new OutputCollector.JsonFile(j, pointer));
    }

    private List<Argument> arguments(YamlNode.Sequence seq, Set<String> inputs, Problems problems) {
        List<Argument> out = new ArrayList<>();
        for (YamlNode n : seq.items()) {
            argument(n, inputs, problems).ifPresent(out::add);
        }
        return out;
    }

    private Optional<Argument> argument(YamlNode n, Set<String> inputs, Problems problems) {
        if (n instanceof YamlNode.Scalar s) {
            if (s.isNull()) {
                problems.add(s.location(), "empty argument");
                return Optional.empty();
            }
            return Optional.of(new Argument.Literal(s.text()));
        }
        Optional<Fields> f = Fields.of(n, problems, "argument", Set.of("value", "prefix", "if", "then", "else",
                "repeat", "args"));
        if (f.isEmpty()) {
            return Optional.empty();
        }
        Fields a = f.get();
        if (a.mapping().has("value")) {
            return a.string("value").filter(v -> known(v, a.node("value").orElseThrow().location(), inputs, problems))
                    .map(v -> new Argument.Value(v, a.string("prefix").orElse("")));
        }
        if (a.mapping().has("if")) {
            Optional<String> in = a.string("if").filter(v -> known(v, a.node("if").orElseThrow().location(), inputs, problems));
            if (!a.mapping().has("then")) {
                problems.add(a.location(), "conditional argument needs 'then'");
            }
            List<Argument> then = a.sequenceAt("then").map(s -> arguments(s, inputs, problems)).orElse(List.of());
            List<Argument> otherwise = a.sequenceAt("else").map(s -> arguments(s, inputs, problems)).orElse(List.of());
            return in.map(i -> new Argument.Conditional(i, then, otherwise));
        }
        if (a.mapping().has("repeat")) {
            Optional<String> in = a.string("repeat").filter(v -> known(v, a.node("repeat").orElseThrow().location(), inputs, problems));
            if (!a.mapping().has("args")) {
                problems.add(a.location(), "repeated argument needs 'args'");
            }
            List<Argument> each = a.sequenceAt("args").map(s -> arguments(s, inputs, problems)).orElse(List.of());
            return in.map(i -> new Argument.Repeated(i, each));
        }
        problems.add(a.location(), "argument needs one of 'value', 'if' or 'repeat'");
        return Optional.empty();
    }

    private static boolean known(String input, Location where, Set<String> inputs, Problems problems) {
        if (input.equals(CommandLineSpec.OUTPUT_DIR) || inputs.contains(input)) {
            return true;
        }
        problems.add(where, "argument refers to unknown input '" + input + "' (inputs: "
                + String.join(", ", new java.util.TreeSet<>(inputs)) + "; " + CommandLineSpec.OUTPUT_DIR
                + " is the output folder)");
        return false;
    }

    private static CommandLineSpec.Resources resources(YamlNode.Mapping m, Problems problems) {
        Fields f = Fields.of(m, problems, "resources", Set.of("cores", "memory")).orElseThrow();
        int cores = f.integer("cores", 1, Integer.MAX_VALUE).map(Long::intValue).orElse(CommandLineSpec.Resources.DEFAULT.cores());
        long memory = CommandLineSpec.Resources.DEFAULT.memoryBytes();
        Optional<String> mem = f.string("memory");
        if (mem.isPresent()) {
            var mm = SIZE.matcher(mem.get().trim());
            Location where = f.node("memory").orElseThrow().location();
            if (!mm.matches() || mm.group(1).chars().allMatch(c -> c == '0')) {
                problems.add(where, "memory '" + mem.get() + "' is not a size such as 512m or 2g");
            } else {
                int shift = switch (mm.group(2).toLowerCase(Locale.ROOT)) {
                    case "k" -> 10;
                    case "m", "" -> 20;
                    case "g" -> 30;
                    default -> 40;
                };
                long n = digits(mm.group(1), Long.MAX_VALUE >> shift);
                if (n < 0) {
                    problems.add(where, "memory '" + mem.get() + "' is out of range (at most " + (Long.MAX_VALUE >> 40) + "t)");
                } else {
                    memory = n << shift;
                }
            }
        }
        return new CommandLineSpec.Resources(cores, memory);
    }

    private static Optional<Duration> duration(String text, Location where, Problems problems) {
        try {
            return Optional.of(Durations.parse(text));
        } catch (IllegalArgumentException e) {
            problems.add(where, "timeout " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The value of a string of decimal digits, or -1 when it is larger than {@code max}. */
    private static long digits(String digits, long max) {
        try {
            long n = Long.parseLong(digits);
            return n > max ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
