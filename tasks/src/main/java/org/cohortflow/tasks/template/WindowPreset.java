package org.cohortflow.tasks.template;

/**
 * A named window/level setting for the grey-value image, e.g. CT soft tissue (W 400, L 40).
 *
 * @param name   label of the button in the viewer
 * @param window width of the displayed value range, &gt; 0
 * @param level  centre of the displayed value range
 */
public record WindowPreset(String name, double window, double level) {
}
