package org.cohortflow.dsl.types;

import java.util.Set;

/**
 * A type of data that flows along links: a {@link ValueType} (numbers, text, in-memory objects such as
 * volumes), a {@link FileType} (data stored at a URL) or a {@link TypeGroup} (a union of types, such as
 * {@code Image}). A link is valid when the produced type is the expected type or belongs to it.
 */
public sealed interface DataType permits ValueType, FileType, TypeGroup {

    /** Unique name, as written in tool and network files ({@code Int}, {@code NiftiImage}). */
    String name();

    /** One line for {@code cohortflow tools} and error messages. */
    String description();

    /** Names of the groups (unions) this type belongs to directly. */
    Set<String> memberOf();

    /** The Java class of runtime values of this type; used by the typed Java API. */
    Class<?> javaType();
}
