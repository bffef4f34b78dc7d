package org.cohortflow.dsl.tool;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A tool's identity, {@code namespace/Name:version}, e.g. {@code imaging/DicomToVolume:1}. */
public record ToolId(String namespace, String name, String version) {
    private static final Pattern FORM = Pattern.compile(
            "([a-z0-9][a-z0-9_.-]*(?:/[a-z0-9][a-z0-9_.-]*)*)/([A-Za-z][A-Za-z0-9_]*):([0-9A-Za-z][0-9A-Za-z._-]*)");

    public ToolId {
        if (!FORM.matcher(namespace + "/" + name + ":" + version).matches()) {
            throw new IllegalArgumentException("'" + namespace + "/" + name + ":" + version
                    + "' is not a tool id of the form namespace/Name:version");
        }
    }

    /** Parses {@code namespace/Name:version}; the message says what form is expected. */
    public static ToolId parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a tool id of the form namespace/Name:version");
        }
        return new ToolId(m.group(1), m.group(2), m.group(3));
    }

    /** {@code namespace/Name} without the version. */
    public String unversioned() {
        return namespace + "/" + name;
    }

    @Override
    public String toString() {
        return namespace + "/" + name + ":" + version;
    }
}
