package org.cohortflow.dsl.types;

import java.util.Set;

/**
 * A union of types (fastr's TypeGroup). Members declare that they belong to a group through their own
 * {@link DataType#memberOf()}, so a module can add members to a group defined elsewhere.
 */
public record TypeGroup(String name, String description, Set<String> memberOf, Class<?> javaType)
        implements DataType {

    public TypeGroup {
        memberOf = Set.copyOf(memberOf);
    }

    public static TypeGroup of(String name, String description, Class<?> javaType, String... memberOf) {
        return new TypeGroup(name, description, Set.of(memberOf), javaType);
    }
}
