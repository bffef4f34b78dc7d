package org.cohortflow.tasks.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a kind of task looks like to the reviewer: which of the task's images to show and how (layout,
 * overlay colours, window/level presets), and the form to fill, as a JSON Schema. Built only by
 * {@link TemplateParser}, which checks all of it.
 *
 * @param name        unique name, used by tasks to refer to it
 * @param version     increases when the template is replaced
 * @param description free text for managers
 * @param layout      initial viewer layout
 * @param images      layers from bottom to top; the first is the grey-value image
 * @param presets     window/level presets, the first applied on opening
 * @param form        the result's JSON Schema (an object schema the viewer renders as a form)
 * @param source      the template's text as given (kept so it can be shown and edited again)
 */
public record TaskTemplate(String name, int version, String description, Layout layout, List<ImageLayer> images,
                           List<WindowPreset> presets, FormSchema form, String source) {
    public TaskTemplate {
        images = List.copyOf(images);
        presets = List.copyOf(presets);
    }

    /** The image keys every task of this template must give a URL for. */
    public List<String> imageKeys() {
        return images.stream().map(ImageLayer::key).toList();
    }

    /** The form's JSON Schema. */
    public JsonNode formSchema() {
        return form.schema();
    }
}
