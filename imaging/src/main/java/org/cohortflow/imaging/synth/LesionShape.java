package org.cohortflow.imaging.synth;

import java.util.Locale;

/** The analytic shapes a synthetic lesion can have. */
public enum LesionShape {
    /** Three equal radii. */
    SPHERE,
    /** Three independent radii and a random orientation. */
    ELLIPSOID;

    /** The lower-case name used in {@code truth.csv} and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The shape called {@code label} (case-insensitive), as written by {@link #label()}. */
    public static LesionShape of(String label) {
        for (LesionShape s : values()) {
            if (s.label().equalsIgnoreCase(label.trim())) return s;
        }
        throw new IllegalArgumentException("unknown lesion shape '" + label + "' (sphere or ellipsoid)");
    }
}
