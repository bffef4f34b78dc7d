package org.cohortflow.biomarkers.feature;

/**
 * How a feature was aggregated over slices and directions, with the IBSI label and code.
 *
 * <p>Non-texture families have a single 3D aggregation ({@link #FEATURE_3D}); the co-occurrence and
 * run-length families have six; the zone, distance and neighbourhood families have three.
 */
public enum Aggregation {
    /** Features of the whole volume (morphology, intensity families). */
    FEATURE_3D("3D", "DHQ4"),
    /** Per-slice features averaged over slices. */
    AVERAGED_2D("2D", "8QNN"),
    /** One matrix merged over all slices. */
    MERGED_2_5D("2.5D", "62GR"),
    /** One matrix over the volume. */
    VOLUME_3D("3D", "KOBO"),
    /** Per slice and direction, averaged over both. */
    SLICE_DIRECTION_AVERAGED_2D("2D, averaged", "BTW3"),
    /** Directions merged within a slice, averaged over slices. */
    SLICE_MERGED_2D("2D, slice-merged", "SUJT"),
    /** Slices merged per direction, averaged over directions. */
    DIRECTION_MERGED_2_5D("2.5D, direction-merged", "JJUI"),
    /** Slices and directions merged into one matrix. */
    FULLY_MERGED_2_5D("2.5D, merged", "ZW7Z"),
    /** Per 3D direction, averaged over the 13 directions. */
    DIRECTION_AVERAGED_3D("3D, averaged", "ITBB"),
    /** The 13 3D directions merged into one matrix. */
    MERGED_3D("3D, merged", "IAZD");

    private final String label;
    private final String code;

    Aggregation(String label, String code) {
        this.label = label;
        this.code = code;
    }

    /** @return IBSI's human-readable label, e.g. {@code "2.5D, merged"} */
    public String label() {
        return label;
    }

    /** @return IBSI's four-character code, e.g. {@code "ZW7Z"} */
    public String code() {
        return code;
    }
}
