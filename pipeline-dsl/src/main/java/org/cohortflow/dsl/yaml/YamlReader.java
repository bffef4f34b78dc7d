package org.cohortflow.dsl.yaml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.composer.ComposerException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads YAML text into a {@link YamlNode} tree with positions.
 *
 * <p>The text is composed by SnakeYAML (the parser under Jackson's YAML support) rather than streamed
 * through Jackson, because Jackson reports an alias ({@code *roi}) as the plain text of its anchor's
 * name and forgets anchors on scalars. Here aliases are resolved to the node they name, and merge keys
 * ({@code <<: *defaults}) copy the keys of the mapping(s) they name into theirs, keys written out
 * winning. Nodes reached through an alias keep the position where they are written (after the anchor).
 * An alias inside the node it names is refused with its position.
 */
public final class YamlReader {
    private YamlReader() {}

    /**
     * Reads a file; the file name is used in every location. Files over the limits of
     * {@link DefinitionText} or not in UTF-8 are refused before parsing.
     */
    public static YamlNode read(Path file) {
        return parse(DefinitionText.read(file), file.toString());
    }

    /**
     * Parses YAML text. Syntax errors become an {@link InvalidDefinitionException} located at the
     * offending position; text over the limits of {@link DefinitionText} is refused before parsing.
     */
    public static YamlNode read(String text, String sourceName) {
        DefinitionText.check(text, sourceName);
        return parse(text.startsWith("\uFEFF") ? text.substring(1) : text, sourceName);
    }

    /**
     * Parses YAML text that may hold no document at all (empty, or only comments): empty then, instead
     * of the error {@link #read(String, String)} gives.
     */
    public static Optional<YamlNode> readOptional(String text, String sourceName) {
        DefinitionText.check(text, sourceName);
        return compose(text.startsWith("\uFEFF") ? text.substring(1) : text, sourceName);
    }

    private static YamlNode parse(String text, String sourceName) {
        return compose(text, sourceName).orElseThrow(() -> new InvalidDefinitionException(
                new Problem(new Location(sourceName, 1, 1), "the file is empty")));
    }

    private static Optional<YamlNode> compose(String text, String sourceName) {
        LoaderOptions options = new LoaderOptions();
        // DefinitionText already bounds the size; this keeps SnakeYAML's own limit out of the way.
        options.setCodePointLimit(DefinitionText.MAX_BYTES + 1);
        Node root;
        LastEvent events = new LastEvent(new ParserImpl(new StreamReader(text), options));
        try {
            root = new Composer(events, new Resolver(), options).getSingleNode();
        } catch (MarkedYAMLException e) {
            // Where the last good element ended is where something is missing (an unclosed '{' is
            // noticed only at the end of the file); errors before any element point at their own mark.
            // The composer's own errors (an undefined alias) point at the element itself.
            Mark m = events.lastEnd != null && !(e instanceof ComposerException) ? events.lastEnd : e.getProblemMark();
            Location where = m == null ? new Location(sourceName, 1, 1)
                    : new Location(sourceName, m.getLine() + 1, m.getColumn() + 1);
            String message = e.getProblem() == null ? e.getMessage() : (e.getContext() == null ? "" : e.getContext() + "; ")
                    + e.getProblem();
            throw new InvalidDefinitionException(new Problem(where, "invalid YAML: " + summary(message)));
        } catch (YAMLException e) {
            // Unmarked errors are SnakeYAML's limits, met at the last element read (e.g. the 51st alias).
            Mark m = events.lastStart;
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("Number of aliases for non-scalar nodes exceeds")) {
                message = "more than " + options.getMaxAliasesForCollections() + " aliases of lists or mappings in one"
                        + " file (a guard against alias bombs); write some of them out";
            }
            throw new InvalidDefinitionException(new Problem(m == null ? new Location(sourceName, 1, 1)
                    : new Location(sourceName, m.getLine() + 1, m.getColumn() + 1), "invalid YAML: " + summary(message)));
        }
        return root == null ? Optional.empty() : Optional.of(new Converter(sourceName).node(root));
    }

    /**
     * SnakeYAML's messages quote the offending text with a caret over several lines; our location
     * already points there, so keep only the sentences.
     */
    private static String summary(String message) {
        return String.join("; ", message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .toList());
    }

    /** A parser that remembers where the last event it handed out started and ended. */
    private static final class LastEvent implements Parser {
        private final Parser parser;
        private Mark lastStart;
        private Mark lastEnd;

        LastEvent(Parser parser) {
            this.parser = parser;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return parser.checkEvent(choice);
        }

        @Override
        public Event peekEvent() {
            return parser.peekEvent();
        }

        @Override
        public Event getEvent() {
            Event e = parser.getEvent();
            if (!e.is(Event.ID.StreamStart)) {
                lastStart = e.getStartMark();
                lastEnd = e.getEndMark();
            }
            return e;
        }
    }

    /**
     * SnakeYAML's node graph (where an alias is the very node it names) to our tree. Converted nodes are
     * remembered, so a node named by many aliases is converted once and shared: nested aliases cannot
     * blow the tree up exponentially.
     */
    private static final class Converter {
        private final String source;
        private final Map<Node, YamlNode> done = new IdentityHashMap<>();
        private final Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());

        Converter(String source) {
            this.source = source;
        }

        YamlNode node(Node n) {
            YamlNode converted = done.get(n);
            if (converted != null) {
                return converted;
            }
            if (!open.add(n)) {
                throw new InvalidDefinitionException(new Problem(at(n), "the alias *" + n.getAnchor()
                        + " is used inside the node it names (&" + n.getAnchor() + "): recursive YAML is not allowed"));
            }
            converted = switch (n.getNodeId()) {
                case scalar -> scalar((ScalarNode) n);
                case sequence -> {
                    List<YamlNode> items = new ArrayList<>();
                    for (Node item : ((SequenceNode) n).getValue()) {
                        items.add(node(item));
                    }
                    yield new YamlNode.Sequence(items, at(n));
                }
                case mapping -> mapping((MappingNode) n);
                default -> throw new InvalidDefinitionException(new Problem(at(n), "unsupported YAML node " + n.getNodeId()));
            };
            open.remove(n);
            done.put(n, converted);
            return converted;
        }

        private YamlNode.Scalar scalar(ScalarNode s) {
            Tag t = s.getTag();
            YamlNode.ScalarType type = Tag.NULL.equals(t) ? YamlNode.ScalarType.NULL
                    : Tag.BOOL.equals(t) ? YamlNode.ScalarType.BOOL
                    : Tag.INT.equals(t) ? YamlNode.ScalarType.INT
                    : Tag.FLOAT.equals(t) ? YamlNode.ScalarType.FLOAT
                    : YamlNode.ScalarType.STRING;
            return new YamlNode.Scalar(type == YamlNode.ScalarType.NULL ? null : s.getValue(), at(s), type);
        }

        private YamlNode.Mapping mapping(MappingNode m) {
            Map<String, YamlNode.Mapping.Entry> entries = new LinkedHashMap<>();
            List<YamlNode.Mapping> merged = new ArrayList<>();
            for (NodeTuple t : m.getValue()) {
                Node k = t.getKeyNode();
                if (k instanceof ScalarNode ks && Tag.MERGE.equals(ks.getTag())) {
                    merged.addAll(mergeSources(node(t.getValueNode()), ks));
                    continue;
                }
                if (!(k instanceof ScalarNode ks)) {
                    throw new InvalidDefinitionException(new Problem(at(k), "a key must be a scalar, found "
                            + node(k).kind()));
                }
                String key = ks.getValue();
                if (entries.containsKey(key)) {
                    throw new InvalidDefinitionException(new Problem(at(k), "duplicate key '" + key + "'"));
                }
                entries.put(key, new YamlNode.Mapping.Entry(key, at(k), node(t.getValueNode())));
            }
            if (!merged.isEmpty()) {
                // Keys written out win over merged ones, and an earlier merged mapping over a later one (YAML's merge key).
                Map<String, YamlNode.Mapping.Entry> all = new LinkedHashMap<>(entries);
                for (YamlNode.Mapping source : merged) {
                    source.entries().forEach(all::putIfAbsent);
                }
                entries = all;
            }
            return new YamlNode.Mapping(entries, at(m));
        }

        private List<YamlNode.Mapping> mergeSources(YamlNode value, ScalarNode key) {
            if (value instanceof YamlNode.Mapping vm) {
                return List.of(vm);
            }
            List<YamlNode.Mapping> out = new ArrayList<>();
            if (value instanceof YamlNode.Sequence q) {
                for (YamlNode item : q.items()) {
                    if (!(item instanceof YamlNode.Mapping im)) {
                        throw new InvalidDefinitionException(new Problem(item.location(),
                                "a merge key (<<) takes mappings, found " + item.kind()));
                    }
                    out.add(im);
                }
                return out;
            }
            throw new InvalidDefinitionException(new Problem(at(key), "a merge key (<<) takes a mapping or a list of"
                    + " mappings, found " + value.kind()));
        }

        private Location at(Node n) {
            Mark m = n.getStartMark();
            return m == null ? new Location(source, 1, 1) : new Location(source, m.getLine() + 1, m.getColumn() + 1);
        }
    }
}
