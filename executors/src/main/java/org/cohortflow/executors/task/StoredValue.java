package org.cohortflow.executors.task;

import java.io.Serializable;

/**
 * One output value of a finished job as the driver knows it: small values inline, everything else by
 * location. This is all that travels between tasks through the driver; data stays in storage.
 *
 * @param type   data type name
 * @param kind   how the value is held
 * @param text   the literal text ({@link Kind#TEXT}) or the URI of the stored data
 * @param hash   SHA-256 of the content, the value's identity for the cache
 * @param length bytes of stored data (files, objects), -1 for text and folders
 */
public record StoredValue(String type, Kind kind, String text, String hash, long length) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How a value is held. */
    public enum Kind {
        /** A literal of a value type, inline. */
        TEXT,
        /** A file or folder at a URI. */
        FILE,
        /**
         * An object of a value type without literals at a URI: stored with its type's codec (a volume as
         * NIfTI), else Java-serialised ({@code .bin}).
         */
        OBJECT,
        /** An object that could not be serialised: usable only inside the task that made it. */
        MEMORY,
        /**
         * An object the run kept in memory only ({@code --keep sinks}: only jobs of its own task read it); its hash
         * is derived from its job's key. A job after it that runs again in a later run makes it again first.
         */
        TRANSIENT
    }
}
