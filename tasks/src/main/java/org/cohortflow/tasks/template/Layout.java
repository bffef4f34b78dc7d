package org.cohortflow.tasks.template;

import java.util.Locale;

/** How the viewer arranges the image: one orthogonal plane, or all three side by side. */
public enum Layout {
    AXIAL, CORONAL, SAGITTAL, MULTIPLANAR;

    /** The name used in templates and in the page ({@code multiplanar}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
