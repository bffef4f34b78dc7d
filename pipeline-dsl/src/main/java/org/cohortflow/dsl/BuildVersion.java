package org.cohortflow.dsl;

/**
 * The version of cohortflow that is running, as the build stamped it: the {@code Implementation-Version} of the
 * jar this class was loaded from (every module's jar carries it; see the parent pom's maven-jar-plugin
 * configuration). The command's {@code --version}, every provenance document and every service's OpenAPI document read
 * it here, so there is one source of the version and it cannot drift from the build. It lives in
 * the module every other one depends on so that the services, which may not depend on the executors, reach it too.
 */
public final class BuildVersion {
    /** What is reported when the classes were not loaded from a built jar (an IDE or a test's class folder). */
    public static final String UNPACKAGED = "unpackaged";

    private BuildVersion() {
    }

    /** The build's version, e.g. {@code 0.1.0-SNAPSHOT}, or {@link #UNPACKAGED}. */
    public static String version() {
        String v = BuildVersion.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? UNPACKAGED : v;
    }
}
