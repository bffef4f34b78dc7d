package org.cohortflow.biomarkers.feature;

/**
 * A feature's IBSI name and code, independent of any value.
 *
 * @param name     IBSI feature name, e.g. {@code "Joint maximum"}
 * @param ibsiCode IBSI four-character identifier, e.g. {@code "GYBY"}
 */
public record FeatureDefinition(String name, String ibsiCode) {
}
