package org.cohortflow.tasks.template;

/**
 * One image the viewer shows, named by the key under which each task gives its URL.
 *
 * @param key      the task content's image key, e.g. {@code ct}
 * @param role     {@code IMAGE} (grey values, the presets apply) or {@code OVERLAY} (a mask drawn in colour)
 * @param colormap NiiVue colour map of an overlay (ignored for images)
 * @param opacity  0..1, an overlay's initial opacity
 */
public record ImageLayer(String key, Role role, String colormap, double opacity) {
    /** What a layer is for. */
    public enum Role { IMAGE, OVERLAY }
}
