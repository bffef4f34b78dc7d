package org.cohortflow.dsl.validate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cohortflow.dsl.network.Constant;
import org.cohortflow.dsl.network.InputBinding;
import org.cohortflow.dsl.network.Link;
import org.cohortflow.dsl.network.Locator;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.Node;
import org.cohortflow.dsl.network.Sink;
import org.cohortflow.dsl.network.Source;
import org.cohortflow.dsl.tool.Cardinality;
import org.cohortflow.dsl.tool.PortSpec;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.types.DataType;
import org.cohortflow.dsl.types.TypeRegistry;
import org.cohortflow.dsl.types.ValueType;
import org.cohortflow.dsl.yaml.Problem;
import org.cohortflow.dsl.yaml.Problems;

/**
 * Checks a network before anything runs and reports every problem at once, each located: unknown tools
 * and versions, type mismatches, cardinality, missing required inputs, cycles, unbound sources, dangling
 * sinks, dimension conflicts, unknown parameters and parameters of the wrong type.
 */
public final class NetworkValidator {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    /** Placeholders a sink URL template may use. */
    public static final Set<String> URL_PLACEHOLDERS = Set.of("sample_id", "sink", "node", "output", "index", "ext");

    private final ToolRegistry tools;
    private final TypeRegistry types;

    public NetworkValidator(ToolRegistry tools) {
        this.tools = tools;
        this.types = tools.types();
    }

    /** Validates a network built in Java; problems are described by element. */
    public List<Problem> validate(Network network) {
        return validate(network, Locator.describing(network.id()));
    }

    /** Validates a network; {@code locator} places each problem (e.g. in its YAML file). */
    public List<Problem> validate(Network network, Locator locator) {
        Problems problems = new Problems();
        new Run(network, locator, problems).check();
        // File order reads best; the sort is stable, so problems without a line keep their order.
        return problems.list().stream().sorted(java.util.Comparator.comparingInt((Problem p) -> p.location().line())
                .thenComparingInt(p -> p.location().column())).toList();
    }

    /** The element a link reads from, resolved. */
    record Producer(String description, Optional<DataType> type, Cardinality cardinality) {}

    private final class Run {
        private final Network net;
        private final Locator at;
        private final Problems problems;
        private final Map<String, ToolDefinition> nodeTools = new HashMap<>();
        private final Set<String> usedElements = new HashSet<>();

        Run(Network net, Locator at, Problems problems) {
            this.net = net;
            this.at = at;
            this.problems = problems;
        }

        void check() {
            checkIds();
            for (Source s : net.sources()) {
                typeNamed(s.type(), "source:" + s.id(), "source '" + s.id() + "'");
            }
            for (Constant c : net.constants()) {
                checkConstant(c);
            }
            for (Node n : net.nodes()) {
                resolveTool(n);
            }
            for (Node n : net.nodes()) {
                checkNode(n);
            }
            for (Sink s : net.sinks()) {
                checkSink(s);
            }
            for (Source s : net.sources()) {
                if (!usedElements.contains(s.id())) {
                    problems.add(at.locate("source:" + s.id()), "unbound source '" + s.id()
                            + "': no node input or sink is linked to it");
                }
            }
            List<String> cycle = new CycleFinder(net).find();
            if (!cycle.isEmpty()) {
                problems.add(at.locate("node:" + cycle.get(0)), "cycle: " + String.join(" -> ", cycle));
                return;
            }
            DimensionAnalysis dims = new DimensionAnalysis(net, nodeTools, at, problems);
            dims.run();
            dims.sinkDimensions().forEach((sink, d) -> {
                Sink s = net.sink(sink).orElseThrow();
                if (!d.isEmpty() && !s.url().contains("{sample_id}")) {
                    problems.add(at.locate("sink:" + sink), "sink '" + sink + "' receives one value per sample of "
                            + d + " but its url has no {sample_id}: every sample would write " + s.url());
                }
            });
        }

        private void checkIds() {
            Set<String> seen = new HashSet<>();
            List<String[]> all = new ArrayList<>();
            net.sources().forEach(s -> all.add(new String[] {"source:" + s.id(), s.id()}));
            net.constants().forEach(s -> all.add(new String[] {"constant:" + s.id(), s.id()}));
            net.nodes().forEach(s -> all.add(new String[] {"node:" + s.id(), s.id()}));
            for (String[] e : all) {
                if (!e[1].matches("[A-Za-z_][A-Za-z0-9_-]*")) {
                    problems.add(at.locate(e[0]), "'" + e[1] + "' is not a valid id (letters, digits, _ and -)");
                }
                if (!seen.add(e[1])) {
                    problems.add(at.locate(e[0]), "duplicate id '" + e[1] + "': sources, constants and nodes share one namespace");
                }
            }
        }

        private Optional<DataType> typeNamed(String name, String path, String what) {
            Optional<DataType> t = types.find(name);
            if (t.isEmpty()) {
                problems.add(at.locate(path), "unknown data type '" + name + "' for " + what);
            }
            return t;
        }

        private void checkConstant(Constant c) {
            String path = "constant:" + c.id();
            if (!c.isBroadcast()) {
                c.samples().keySet().forEach(id -> org.cohortflow.dsl.plan.SampleIds.problem(id).ifPresent(p ->
                        problems.add(at.locate(path), "constant '" + c.id() + "': " + p)));
            }
            Optional<DataType> t = typeNamed(c.type(), path, "constant '" + c.id() + "'");
            if (t.isEmpty()) {
                return;
            }
            if (!(t.get() instanceof ValueType vt) || vt.parser().isEmpty()) {
                if (!(t.get() instanceof org.cohortflow.dsl.types.FileType)) {
                    problems.add(at.locate(path), "constant '" + c.id() + "' has type " + c.type()
                            + ", which has no literal values");
                }
                return;
            }
            c.samples().forEach((sample, values) -> values.forEach(v -> literal(vt, v, path,
                    "value '" + v + "' of constant '" + c.id() + "'")));
        }

        private void literal(ValueType t, String text, String path, String what) {
            try {
                t.parse(text);
            } catch (IllegalArgumentException e) {
                problems.add(at.locate(path), what + " is not a valid " + t.name() + ": " + e.getMessage());
            }
        }

        private void resolveTool(Node n) {
            Optional<ToolDefinition> tool = tools.find(n.tool());
            if (tool.isPresent()) {
                nodeTools.put(n.id(), tool.get());
                return;
            }
            List<String> versions = tools.versionsOf(n.tool().unversioned());
            problems.add(at.locate("node:" + n.id() + "/tool"), versions.isEmpty()
                    ? "unknown tool '" + n.tool() + "' in node '" + n.id() + "'"
                    : "unknown version '" + n.tool().version() + "' of tool '" + n.tool().unversioned()
                    + "' in node '" + n.id() + "' (available: " + String.join(", ", versions) + ")");
        }

        private void checkNode(Node n) {
            String path = "node:" + n.id();
            ToolDefinition tool = nodeTools.get(n.id());
            // Record links even for unknown tools, so their sources do not also show up as unbound.
            n.inputs().values().forEach(b -> b.links().forEach(l -> usedElements.add(l.from().element())));
            if (tool == null) {
                return;
            }
            String inputList = String.join(", ", tool.inputs().stream().map(PortSpec::id).toList());
            for (var e : n.parameters().entrySet()) {
                String pp = path + "/param:" + e.getKey();
                Optional<PortSpec> port = tool.input(e.getKey());
                if (port.isEmpty()) {
                    problems.add(at.locate(pp), "unknown parameter '" + e.getKey() + "' for node '" + n.id()
                            + "': tool " + tool.id() + " has inputs " + inputList);
                    continue;
                }
                if (n.inputs().containsKey(e.getKey()) && !n.inputs().get(e.getKey()).links().isEmpty()) {
                    problems.add(at.locate(pp), "input '" + e.getKey() + "' of node '" + n.id()
                            + "' is both linked and set as a parameter");
                }
                types.find(port.get().type()).ifPresent(t -> {
                    if (t instanceof ValueType vt && vt.parser().isPresent()) {
                        e.getValue().forEach(v -> literal(vt, v, pp, "parameter '" + e.getKey() + "' of node '"
                                + n.id() + "' value '" + v + "'"));
                    } else if (!(t instanceof org.cohortflow.dsl.types.FileType)) {
                        problems.add(at.locate(pp), "parameter '" + e.getKey() + "' of node '" + n.id()
                                + "' has type " + t.name() + ", which has no literal values; link it instead");
                    }
                });
                Cardinality given = Cardinality.exactly(e.getValue().size());
                if (!given.within(port.get().cardinality())) {
                    problems.add(at.locate(pp), "parameter '" + e.getKey() + "' of node '" + n.id() + "' gives "
                            + given + " value(s) but the input takes " + port.get().cardinality());
                }
            }
            for (var e : n.inputs().entrySet()) {
                String ip = path + "/input:" + e.getKey();
                Optional<PortSpec> port = tool.input(e.getKey());
                if (port.isEmpty()) {
                    problems.add(at.locate(ip), "unknown input '" + e.getKey() + "' of node '" + n.id()
                            + "': tool " + tool.id() + " has inputs " + inputList);
                    continue;
                }
                checkLinks(e.getValue(), port.get(), ip, "input '" + e.getKey() + "' of node '" + n.id() + "'");
            }
            for (PortSpec p : tool.inputs()) {
                boolean linked = n.inputs().containsKey(p.id()) && !n.inputs().get(p.id()).links().isEmpty();
                if (p.mustBeBound() && !linked && !n.parameters().containsKey(p.id())) {
                    problems.add(at.locate(path), "missing required input '" + p.id() + "' of node '" + n.id()
                            + "' (tool " + tool.id() + ", type " + p.type() + "): link it or set it as a parameter");
                }
            }
        }

        private void checkLinks(InputBinding b, PortSpec port, String path, String what) {
            Optional<DataType> expected = types.find(port.type());
            Cardinality delivered = null;
            for (int i = 0; i < b.links().size(); i++) {
                Link l = b.links().get(i);
                String lp = path + "/link:" + i;
                Optional<Producer> p = producer(l, lp);
                if (p.isEmpty()) {
                    return;
                }
                if (p.get().type().isPresent() && expected.isPresent()
                        && !types.isAssignable(p.get().type().get(), expected.get())) {
                    problems.add(at.locate(lp), "type mismatch: " + what + " expects " + expected.get().name()
                            + " but " + p.get().description() + " produces " + p.get().type().get().name());
                }
                Cardinality c = linkCardinality(l, p.get().cardinality());
                delivered = delivered == null ? c : delivered.plus(c);
            }
            if (delivered != null && !delivered.within(port.cardinality())) {
                problems.add(at.locate(path), "cardinality mismatch: " + what + " takes " + port.cardinality()
                        + " value(s) per sample but its links deliver " + delivered);
            }
        }

        private Cardinality linkCardinality(Link l, Cardinality produced) {
            if (l.expand()) {
                return Cardinality.ONE;
            }
            if (l.collapse().isPresent()) {
                return new Cardinality(produced.min(), Cardinality.UNBOUNDED);
            }
            return produced;
        }

        private Optional<Producer> producer(Link l, String path) {
            String el = l.from().element();
            usedElements.add(el);
            Optional<Source> s = net.source(el);
            Optional<Constant> c = net.constant(el);
            Optional<Node> n = net.node(el);
            if (s.isEmpty() && c.isEmpty() && n.isEmpty()) {
                problems.add(at.locate(path), "link from unknown element '" + l.from() + "': no source, constant or node '"
                        + el + "'");
                return Optional.empty();
            }
            if (n.isEmpty()) {
                if (l.from().port().isPresent()) {
                    problems.add(at.locate(path), "link from '" + l.from() + "': " + (s.isPresent() ? "source" : "constant")
                            + " '" + el + "' has no outputs; refer to it as '" + el + "'");
                    return Optional.empty();
                }
                if (s.isPresent()) {
                    return Optional.of(new Producer("source '" + el + "'", types.find(s.get().type()), Cardinality.ONE));
                }
                int min = c.get().samples().values().stream().mapToInt(List::size).min().orElse(0);
                int max = c.get().samples().values().stream().mapToInt(List::size).max().orElse(0);
                return Optional.of(new Producer("constant '" + el + "'", types.find(c.get().type()), new Cardinality(min, max)));
            }
            ToolDefinition tool = nodeTools.get(el);
            if (tool == null) {
                return Optional.empty();
            }
            if (l.from().port().isEmpty()) {
                problems.add(at.locate(path), "link from node '" + el + "' must name an output: "
                        + String.join(", ", tool.outputs().stream().map(o -> el + "." + o.id()).toList()));
                return Optional.empty();
            }
            Optional<PortSpec> out = tool.output(l.from().port().get());
            if (out.isEmpty()) {
                problems.add(at.locate(path), "link from unknown output '" + l.from() + "': tool " + tool.id()
                        + " has outputs " + String.join(", ", tool.outputs().stream().map(PortSpec::id).toList()));
                return Optional.empty();
            }
            return Optional.of(new Producer("output '" + l.from() + "'", types.find(out.get().type()),
                    out.get().cardinality()));
        }

        private void checkSink(Sink s) {
            String path = "sink:" + s.id();
            Optional<DataType> declared = s.type().flatMap(t -> typeNamed(t, path, "sink '" + s.id() + "'"));
            if (s.from().from().element().isEmpty()) {
                problems.add(at.locate(path), "dangling sink '" + s.id() + "': it has no 'from' link");
                return;
            }
            Optional<Producer> p = producer(s.from(), path + "/from");
            if (p.isPresent() && declared.isPresent() && p.get().type().isPresent()
                    && !types.isAssignable(p.get().type().get(), declared.get())) {
                problems.add(at.locate(path + "/from"), "type mismatch: sink '" + s.id() + "' stores "
                        + declared.get().name() + " but " + p.get().description() + " produces " + p.get().type().get().name());
            }
            if (s.url().isBlank()) {
                problems.add(at.locate(path), "sink '" + s.id() + "' has an empty url");
            } else {
                sinkUrlProblem(s.url()).ifPresent(why -> problems.add(at.locate(path), "sink '" + s.id() + "': " + why));
            }
            Matcher m = PLACEHOLDER.matcher(s.url());
            while (m.find()) {
                if (!URL_PLACEHOLDERS.contains(m.group(1))) {
                    problems.add(at.locate(path), "unknown placeholder {" + m.group(1) + "} in url of sink '" + s.id()
                            + "' (known: " + String.join(", ", new TreeSet<>(URL_PLACEHOLDERS)) + ")");
                }
            }
        }
    }

    /**
     * Why a sink url template cannot be written to safely, or empty. A url is a URI with a scheme of a file system
     * cohortflow writes through (Hadoop's), an absolute local path, or a relative path such as
     * {@code subjects/{sample_id}.json}, which a run resolves against its output folder ({@code cohortflow run
     * --out}). No url may contain {@code ..} or {@code .} segments before its first placeholder. The folder part
     * before the first placeholder is the sink's base, below which every target must stay.
     */
    public static Optional<String> sinkUrlProblem(String url) {
        for (int i = 0; i < url.length(); i++) {
            if (Character.isISOControl(url.charAt(i))) {
                return Optional.of("url contains a control character at position " + (i + 1));
            }
        }
        Matcher scheme = URL_SCHEME.matcher(url);
        if (scheme.find()) {
            String sc = scheme.group(1).toLowerCase(java.util.Locale.ROOT);
            if (!SINK_SCHEMES.contains(sc)) {
                return Optional.of("url '" + url + "' has scheme '" + sc + ":', which is not a file system cohortflow can"
                        + " write to (known: " + String.join(", ", new TreeSet<>(SINK_SCHEMES)) + ")");
            }
            String rest = url.substring(scheme.end());
            if (!rest.startsWith("/")) {
                return Optional.of("url '" + url + "' is not absolute: write " + sc + ":///path or " + sc + "://host/path");
            }
            if (rest.startsWith("//") && !sc.equals("file") && rest.substring(2).startsWith("{")) {
                return Optional.of("url '" + url + "' takes its host from a placeholder");
            }
        } else if (url.startsWith("~")) {
            return Optional.of("url '" + url + "' starts with '~', which is not expanded; write the folder it means");
        }
        int brace = url.indexOf('{');
        String base = brace < 0 ? url : url.substring(0, brace);
        for (String seg : base.split("/")) {
            if (seg.equals("..") || seg.equals(".")) {
                return Optional.of("url '" + url + "' contains a '" + seg + "' segment; write the folder it means");
            }
        }
        return Optional.empty();
    }

    /** True for a template without a scheme that is not an absolute path: resolved against the run's output folder. */
    public static boolean isRelativeSinkUrl(String url) {
        return !URL_SCHEME.matcher(url).find() && !url.startsWith("/");
    }

    private static final Pattern URL_SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");

    /** Schemes of the file systems sinks write through (Hadoop's FileSystem implementations). */
    public static final Set<String> SINK_SCHEMES = Set.of("file", "hdfs", "webhdfs", "swebhdfs", "viewfs", "s3a", "gs",
            "abfs", "abfss", "wasb", "wasbs", "o3fs", "ofs", "oss", "cosn");

    /** Finds a cycle among nodes, if there is one, as the list of node ids along it. */
    private record CycleFinder(Network net) {
        List<String> find() {
            Map<String, List<String>> deps = new LinkedHashMap<>();
            for (Node n : net.nodes()) {
                List<String> d = new ArrayList<>();
                n.inputs().values().forEach(b -> b.links().forEach(l -> {
                    if (l.from().port().isPresent() && net.node(l.from().element()).isPresent()) {
                        d.add(l.from().element());
                    }
                }));
                deps.put(n.id(), d);
            }
            Map<String, Integer> state = new HashMap<>();
            for (String n : deps.keySet()) {
                List<String> path = new ArrayList<>();
                if (visit(n, deps, state, path)) {
                    return path;
                }
            }
            return List.of();
        }

        private boolean visit(String n, Map<String, List<String>> deps, Map<String, Integer> state, List<String> path) {
            Integer s = state.get(n);
            if (s != null && s == 2) {
                return false;
            }
            if (s != null && s == 1) {
                int start = path.indexOf(n);
                List<String> cycle = new ArrayList<>(path.subList(start, path.size()));
                cycle.add(n);
                path.clear();
                path.addAll(cycle);
                return true;
            }
            state.put(n, 1);
            path.add(n);
            for (String d : deps.getOrDefault(n, List.of())) {
                if (visit(d, deps, state, path)) {
                    return true;
                }
            }
            path.remove(path.size() - 1);
            state.put(n, 2);
            return false;
        }
    }
}
