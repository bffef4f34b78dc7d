package org.cohortflow.dsl.types;

/**
 * A data type together with the Java class of its values, for the typed Java API: ports declared with
 * a {@code TypeRef<T>} can only be linked to ports of a compatible {@code T}, checked by the compiler.
 */
public record TypeRef<T>(String name, Class<T> javaType) {

    public static <T> TypeRef<T> of(String name, Class<T> javaType) {
        return new TypeRef<>(name, javaType);
    }
}
