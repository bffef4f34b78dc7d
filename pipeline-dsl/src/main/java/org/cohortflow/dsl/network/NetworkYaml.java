package org.cohortflow.dsl.network;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cohortflow.dsl.tool.ToolId;
import org.cohortflow.dsl.yaml.Fields;
import org.cohortflow.dsl.yaml.Location;
import org.cohortflow.dsl.yaml.Problems;
import org.cohortflow.dsl.yaml.YamlNode;
import org.cohortflow.dsl.yaml.YamlReader;

/**
 * The YAML form of a {@link Network}. Reading keeps the position of every element so that the
 * validator can report {@code FILE:LINE:COL: message}; writing produces the same model back. The
 * format is documented in {@code docs/networks.md}.
 */
public final class NetworkYaml {
    private static final Set<String> TOP = Set.of("network", "description", "sources", "constants", "nodes", "sinks");
    private static final Set<String> SOURCE_KEYS = Set.of("type", "description");
    private static final Set<String> CONSTANT_KEYS = Set.of("type", "value", "samples");
    private static final Set<String> NODE_KEYS = Set.of("tool", "inputs", "parameters", "description");
    private static final Set<String> LINK_KEYS = Set.of("from", "collapse", "expand", "missing", "group");
    private static final Set<String> BINDING_KEYS = Set.of("links", "group");
    private static final Set<String> SINK_KEYS = Set.of("from", "type", "url", "collapse", "expand", "missing");

    private NetworkYaml() {}

    /** A network read from YAML, with the positions of its elements. */
    public record Loaded(Network network, Locator locator, String file) {}

    public static Loaded read(Path file) {
        return read(YamlReader.read(file), file.toString());
    }

    public static Loaded read(String yaml, String sourceName) {
        return read(YamlReader.read(yaml, sourceName), sourceName);
    }

    private static Loaded read(YamlNode root, String file) {
        Problems problems = new Problems();
        Map<String, Location> at = new HashMap<>();
        Fields top = Fields.of(root, problems, "network file", TOP).orElse(null);
        if (top == null) {
            problems.throwIfAny();
        }
        at.put("network", top.location());
        String id = top.requiredString("network").orElse("network");

        List<Source> sources = new ArrayList<>();
        entries(top, "sources", problems).forEach(e -> {
            String path = "source:" + e.key();
            at.put(path, e.keyLocation());
            if (e.value() instanceof YamlNode.Scalar s && !s.isNull()) {
                sources.add(new Source(e.key(), s.text(), ""));
                return;
            }
            Fields.of(e.value(), problems, "source '" + e.key() + "'", SOURCE_KEYS).ifPresent(f ->
                    f.requiredString("type").ifPresent(t ->
                            sources.add(new Source(e.key(), t, f.string("description").orElse("")))));
        });

        List<Constant> constants = new ArrayList<>();
        entries(top, "constants", problems).forEach(e -> {
            at.put("constant:" + e.key(), e.keyLocation());
            String what = "constant '" + e.key() + "'";
            Fields.of(e.value(), problems, what, CONSTANT_KEYS).ifPresent(f -> {
                Optional<String> type = f.requiredString("type");
                boolean hasValue = f.mapping().has("value");
                boolean hasSamples = f.mapping().has("samples");
                if (hasValue == hasSamples) {
                    problems.add(f.location(), what + " needs exactly one of 'value' or 'samples'");
                    return;
                }
                Map<String, List<String>> samples = new LinkedHashMap<>();
                if (hasValue) {
                    samples.put(Constant.BROADCAST, literals(f.node("value").orElseThrow(), what, problems));
                } else {
                    f.mappingAt("samples").ifPresent(m -> m.entries().values().forEach(s ->
                            samples.put(s.key(), literals(s.value(), what + " sample '" + s.key() + "'", problems))));
                }
                type.ifPresent(t -> constants.add(new Constant(e.key(), t, samples)));
            });
        });

        List<Node> nodes = new ArrayList<>();
        entries(top, "nodes", problems).forEach(e -> {
            String path = "node:" + e.key();
            at.put(path, e.keyLocation());
            String what = "node '" + e.key() + "'";
            Fields.of(e.value(), problems, what, NODE_KEYS).ifPresent(f -> {
                at.put(path + "/tool", f.node("tool").map(YamlNode::location).orElse(f.location()));
                ToolId tool = null;
                Optional<String> toolText = f.requiredString("tool");
                if (toolText.isPresent()) {
                    try {
                        tool = ToolId.parse(toolText.get());
                    } catch (IllegalArgumentException ex) {
                        problems.add(f.node("tool").orElseThrow().location(), ex.getMessage());
                    }
                }
                Map<String, InputBinding> inputs = new LinkedHashMap<>();
                f.mappingAt("inputs").ifPresent(m -> m.entries().values().forEach(in -> {
                    String ip = path + "/input:" + in.key();
                    at.put(ip, in.keyLocation());
                    binding(in.value(), ip, what + " input '" + in.key() + "'", at, problems)
                            .ifPresent(b -> inputs.put(in.key(), b));
                }));
                Map<String, List<String>> params = new LinkedHashMap<>();
                f.mappingAt("parameters").ifPresent(m -> m.entries().values().forEach(p -> {
                    at.put(path + "/param:" + p.key(), p.value().location());
                    params.put(p.key(), literals(p.value(), what + " parameter '" + p.key() + "'", problems));
                }));
                if (tool != null) {
                    nodes.add(new Node(e.key(), tool, inputs, params));
                }
            });
        });

        List<Sink> sinks = new ArrayList<>();
        entries(top, "sinks", problems).forEach(e -> {
            String path = "sink:" + e.key();
            at.put(path, e.keyLocation());
            String what = "sink '" + e.key() + "'";
            Fields.of(e.value(), problems, what, SINK_KEYS).ifPresent(f -> {
                Optional<String> url = f.requiredString("url");
                Optional<String> from = f.string("from");
                at.put(path + "/from", f.node("from").map(YamlNode::location).orElse(f.location()));
                if (from.isEmpty() && !f.mapping().has("from")) {
                    problems.add(f.location(), "dangling " + what + ": it has no 'from' link");
                    return;
                }
                Link link = link(from.orElse(""), f, what, problems);
                url.ifPresent(u -> sinks.add(new Sink(e.key(), f.string("type"), link, u)));
            });
        });
        problems.throwIfAny();
        Network network = new Network(id, top.string("description").orElse(""), sources, constants, nodes, sinks);
        return new Loaded(network, Locator.ofPositions(at, file), file);
    }

    private static Optional<InputBinding> binding(YamlNode n, String path, String what, Map<String, Location> at,
                                                  Problems problems) {
        List<Link> links = new ArrayList<>();
        String group = InputBinding.DEFAULT_GROUP;
        if (n instanceof YamlNode.Scalar s && !s.isNull()) {
            links.add(Link.from(s.text()));
            at.put(path + "/link:0", s.location());
        } else if (n instanceof YamlNode.Sequence q) {
            addLinks(q, path, what, at, problems, links);
        } else if (n instanceof YamlNode.Mapping m && m.has("links")) {
            Optional<Fields> f = Fields.of(m, problems, what, BINDING_KEYS);
            if (f.isEmpty()) {
                return Optional.empty();
            }
            f.get().sequenceAt("links").ifPresent(q -> addLinks(q, path, what, at, problems, links));
            group = f.get().string("group").orElse(group);
        } else if (n instanceof YamlNode.Mapping m) {
            Optional<Fields> f = Fields.of(m, problems, what, LINK_KEYS);
            if (f.isEmpty()) {
                return Optional.empty();
            }
            at.put(path + "/link:0", m.location());
            Optional<String> from = f.get().requiredString("from");
            if (from.isEmpty()) {
                return Optional.empty();
            }
            links.add(link(from.get(), f.get(), what, problems));
            group = f.get().string("group").orElse(group);
        } else {
            problems.add(n.location(), what + " must be a reference, a list of links or a mapping");
            return Optional.empty();
        }
        return Optional.of(new InputBinding(links, group));
    }

    private static void addLinks(YamlNode.Sequence q, String path, String what, Map<String, Location> at,
                                 Problems problems, List<Link> links) {
        for (YamlNode item : q.items()) {
            at.put(path + "/link:" + links.size(), item.location());
            if (item instanceof YamlNode.Scalar s && !s.isNull()) {
                links.add(Link.from(s.text()));
            } else {
                Fields.of(item, problems, "link of " + what, Set.of("from", "collapse", "expand", "missing")).ifPresent(f ->
                        f.requiredString("from").ifPresent(from -> links.add(link(from, f, what, problems))));
            }
        }
    }

    private static Link link(String from, Fields f, String what, Problems problems) {
        Link l = Link.from(from);
        Optional<String> collapse = f.string("collapse");
        if (collapse.isPresent()) {
            l = l.collapsing(collapse.get());
        }
        if (f.bool("expand").orElse(false)) {
            l = l.expanding();
        }
        Optional<String> missing = f.string("missing");
        if (missing.isPresent()) {
            if (missing.get().equals("skip")) {
                l = l.skippingMissing();
            } else if (!missing.get().equals("propagate")) {
                problems.add(f.keyLocation("missing"), "missing of a link of " + what + " must be 'skip' or 'propagate', not '"
                        + missing.get() + "'");
            }
            if (collapse.isEmpty()) {
                problems.add(f.keyLocation("missing"), "missing: " + missing.get() + " on a link of " + what
                        + " needs collapse: only a collapse can leave samples out");
            }
        }
        return l;
    }

    private static List<String> literals(YamlNode n, String what, Problems problems) {
        if (n instanceof YamlNode.Scalar s) {
            if (s.isNull()) {
                problems.add(s.location(), what + " has no value");
                return List.of();
            }
            return List.of(s.text());
        }
        List<String> out = new ArrayList<>();
        if (n instanceof YamlNode.Sequence q) {
            for (YamlNode item : q.items()) {
                if (item instanceof YamlNode.Scalar s && !s.isNull()) {
                    out.add(s.text());
                } else {
                    problems.add(item.location(), what + " values must be scalars, found " + item.kind());
                }
            }
            return out;
        }
        problems.add(n.location(), what + " must be a value or a list of values, found " + n.kind());
        return out;
    }

    private static List<YamlNode.Mapping.Entry> entries(Fields top, String key, Problems problems) {
        return top.mappingAt(key).map(m -> List.copyOf(m.entries().values())).orElse(List.of());
    }

    /** Writes a network as YAML that {@link #read} turns back into an equal network. */
    public static String write(Network n) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("network", n.id());
        if (!n.description().isEmpty()) {
            doc.put("description", n.description());
        }
        if (!n.sources().isEmpty()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Source s : n.sources()) {
                if (s.description().isEmpty()) {
                    m.put(s.id(), Map.of("type", s.type()));
                } else {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("type", s.type());
                    e.put("description", s.description());
                    m.put(s.id(), e);
                }
            }
            doc.put("sources", m);
        }
        if (!n.constants().isEmpty()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Constant c : n.constants()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("type", c.type());
                if (c.isBroadcast()) {
                    e.put("value", literalValue(c.samples().get(Constant.BROADCAST)));
                } else {
                    Map<String, Object> s = new LinkedHashMap<>();
                    c.samples().forEach((k, v) -> s.put(k, literalValue(v)));
                    e.put("samples", s);
                }
                m.put(c.id(), e);
            }
            doc.put("constants", m);
        }
        if (!n.nodes().isEmpty()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Node node : n.nodes()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("tool", node.tool().toString());
                if (!node.inputs().isEmpty()) {
                    Map<String, Object> ins = new LinkedHashMap<>();
                    node.inputs().forEach((k, b) -> ins.put(k, bindingValue(b)));
                    e.put("inputs", ins);
                }
                if (!node.parameters().isEmpty()) {
                    Map<String, Object> ps = new LinkedHashMap<>();
                    node.parameters().forEach((k, v) -> ps.put(k, literalValue(v)));
                    e.put("parameters", ps);
                }
                m.put(node.id(), e);
            }
            doc.put("nodes", m);
        }
        if (!n.sinks().isEmpty()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Sink s : n.sinks()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("from", s.from().from().toString());
                s.from().collapse().ifPresent(c -> e.put("collapse", c));
                if (s.from().expand()) {
                    e.put("expand", true);
                }
                if (s.from().missing() == Link.Missing.SKIP) {
                    e.put("missing", "skip");
                }
                s.type().ifPresent(t -> e.put("type", t));
                e.put("url", s.url());
                m.put(s.id(), e);
            }
            doc.put("sinks", m);
        }
        try {
            return new ObjectMapper(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .build()).writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write network " + n.id(), e);
        }
    }

    private static Object literalValue(List<String> values) {
        return values.size() == 1 ? values.get(0) : values;
    }

    private static Object bindingValue(InputBinding b) {
        boolean defaultGroup = b.group().equals(InputBinding.DEFAULT_GROUP);
        if (b.links().size() == 1) {
            Link l = b.links().get(0);
            if (l.plain() && defaultGroup) {
                return l.from().toString();
            }
            Map<String, Object> e = linkValue(l);
            if (!defaultGroup) {
                e.put("group", b.group());
            }
            return e;
        }
        List<Object> links = new ArrayList<>();
        for (Link l : b.links()) {
            links.add(l.plain() ? l.from().toString() : linkValue(l));
        }
        if (defaultGroup) {
            return links;
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("links", links);
        e.put("group", b.group());
        return e;
    }

    private static Map<String, Object> linkValue(Link l) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("from", l.from().toString());
        l.collapse().ifPresent(c -> e.put("collapse", c));
        if (l.expand()) {
            e.put("expand", true);
        }
        if (l.missing() == Link.Missing.SKIP) {
            e.put("missing", "skip");
        }
        return e;
    }
}
