package org.cohortflow.executors;

/**
 * The build's version; moved to {@link org.cohortflow.dsl.BuildVersion} so that the services reach it too.
 *
 * @deprecated use {@link org.cohortflow.dsl.BuildVersion}; kept only so that branches written against this name
 *     while it moved still compile when merged, and removed after them
 */
@Deprecated
public final class BuildVersion {
    /** {@link org.cohortflow.dsl.BuildVersion#UNPACKAGED}. */
    public static final String UNPACKAGED = org.cohortflow.dsl.BuildVersion.UNPACKAGED;

    private BuildVersion() {
    }

    /** {@link org.cohortflow.dsl.BuildVersion#version()}. */
    public static String version() {
        return org.cohortflow.dsl.BuildVersion.version();
    }
}
