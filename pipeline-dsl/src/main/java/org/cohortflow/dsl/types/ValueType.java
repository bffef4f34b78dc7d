package org.cohortflow.dsl.types;

import java.util.Optional;
import java.util.Set;

/**
 * A type whose values live in memory: literals such as {@code Int} or {@code String}, which can be
 * written in a network file, and objects such as volumes, which only tools produce.
 *
 * @param parser turns the text of a literal into a value; absent for types that cannot be written as text
 * @param codec  stores values of object types as files (e.g. a volume as NIfTI); absent for literals
 */
public record ValueType(String name, String description, Set<String> memberOf, Class<?> javaType,
                        Optional<LiteralParser> parser, Optional<ValueCodec> codec) implements DataType {

    public ValueType {
        memberOf = Set.copyOf(memberOf);
    }

    /** Parses literals from text (YAML scalars, command-line values). */
    @FunctionalInterface
    public interface LiteralParser {
        /** Returns the value, or throws {@link IllegalArgumentException} saying why the text is not one. */
        Object parse(String text);
    }

    /** A type that has literals. */
    public static ValueType literal(String name, String description, Class<?> javaType, LiteralParser parser,
                                    String... memberOf) {
        return new ValueType(name, description, Set.of(memberOf), javaType, Optional.of(parser), Optional.empty());
    }

    /** A type of in-memory objects that only tools produce (no literals). */
    public static ValueType object(String name, String description, Class<?> javaType, String... memberOf) {
        return new ValueType(name, description, Set.of(memberOf), javaType, Optional.empty(), Optional.empty());
    }

    /** A type of in-memory objects that are stored as files with {@code codec}. */
    public static ValueType object(String name, String description, Class<?> javaType, ValueCodec codec,
                                   String... memberOf) {
        return new ValueType(name, description, Set.of(memberOf), javaType, Optional.empty(), Optional.of(codec));
    }

    /** Parses a literal of this type. */
    public Object parse(String text) {
        return parser.orElseThrow(() -> new IllegalArgumentException(
                "type " + name + " has no literal values; only tools produce it")).parse(text);
    }
}
