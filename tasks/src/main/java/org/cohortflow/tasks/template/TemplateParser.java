package org.cohortflow.tasks.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a task template from YAML or JSON and checks all of it, collecting every problem with its
 * FILE:LINE:COL: unknown or misspelt keys, missing or wrongly typed values, overlay colour maps the viewer
 * does not have, and a form that is not valid JSON Schema (against the 2020-12 meta-schema) or that the
 * viewer cannot render as a form.
 *
 * <pre>
 * name: sts-ct-qc
 * layout: multiplanar            # axial | coronal | sagittal | multiplanar
 * images:
 *   - {key: ct, role: image}
 *   - {key: mask, role: overlay, colormap: red, opacity: 0.5}
 * presets:
 *   - {name: soft tissue, window: 400, level: 40}
 * form:                          # JSON Schema of the result
 *   type: object
 *   required: [quality]
 *   properties:
 *     quality: {type: string, enum: [good, acceptable, bad]}
 * </pre>
 */
public final class TemplateParser {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    /** NiiVue colour maps that read well as a mask over grey values. */
    static final Set<String> OVERLAY_COLORMAPS = Set.of("red", "green", "blue", "violet", "gold", "hot", "warm", "winter");
    private static final Set<String> TOP_KEYS = Set.of("name", "version", "description", "layout", "images", "presets", "form");
    private static final Set<String> IMAGE_KEYS = Set.of("key", "role", "colormap", "opacity");
    private static final Set<String> PRESET_KEYS = Set.of("name", "window", "level");
    private static final Set<String> FIELD_TYPES = Set.of("string", "number", "integer", "boolean", "array");

    /** Reads a template file; its name is the source in every problem. */
    public TaskTemplate parse(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + file, e);
        }
    }

    /**
     * Parses and checks a template.
     *
     * @param text   YAML or JSON
     * @param source name used in problem locations (a file name, or e.g. {@code request body})
     * @throws InvalidTemplateException listing every problem
     */
    public TaskTemplate parse(String text, String source) {
        LocatedJson doc = LocatedJson.parse(text, source);
        Check c = new Check(doc);
        JsonNode root = doc.root();
        if (!root.isObject()) {
            c.problem("", "a template is a mapping with name, images and form");
            throw c.failure();
        }
        c.knownKeys("", root, TOP_KEYS);
        String name = c.text(root, "name", true);
        if (name != null && !NAME.matcher(name).matches()) {
            c.problem("name", "use lower-case letters, digits, '.', '_' or '-' (at most 100), starting with a letter or digit");
        }
        int version = root.has("version") ? c.positiveInt(root, "version") : 1;
        String description = root.has("description") ? c.text(root, "description", false) : "";
        Layout layout = Layout.MULTIPLANAR;
        String layoutText = root.has("layout") ? c.text(root, "layout", false) : null;
        if (layoutText != null) {
            try {
                layout = Layout.valueOf(layoutText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                c.problem("layout", "unknown layout '" + layoutText + "' (axial, coronal, sagittal or multiplanar)");
            }
        }
        List<ImageLayer> images = images(c, root);
        List<WindowPreset> presets = presets(c, root);
        FormSchema form = form(c, root);
        if (c.failed()) throw c.failure();
        return new TaskTemplate(name, version, description == null ? "" : description, layout, images, presets, form, text);
    }

    private static List<ImageLayer> images(Check c, JsonNode root) {
        List<ImageLayer> layers = new ArrayList<>();
        JsonNode list = root.get("images");
        if (list == null) {
            c.problem("", "missing 'images': the layers to show, e.g. [{key: ct, role: image}]");
            return layers;
        }
        if (!list.isArray() || list.isEmpty()) {
            c.problem("images", "expected a non-empty list of layers");
            return layers;
        }
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "images[" + i + "]";
            JsonNode item = list.get(i);
            if (!item.isObject()) {
                c.problem(at, "expected a mapping with key and role");
                continue;
            }
            c.knownKeys(at, item, IMAGE_KEYS);
            String key = c.text(item, at, "key", true);
            if (key != null && !KEY.matcher(key).matches()) {
                c.problem(at + ".key", "use letters, digits, '_' or '-', starting with a letter");
            } else if (key != null && !keys.add(key)) {
                c.problem(at + ".key", "duplicate image key '" + key + "'");
            }
            String roleText = c.text(item, at, "role", true);
            ImageLayer.Role role = null;
            if (roleText != null) {
                try {
                    role = ImageLayer.Role.valueOf(roleText.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    c.problem(at + ".role", "unknown role '" + roleText + "' (image or overlay)");
                }
            }
            if (i == 0 && role == ImageLayer.Role.OVERLAY) {
                c.problem(at + ".role", "the first layer is the grey-value image an overlay is drawn on: role image");
            }
            if (i > 0 && role == ImageLayer.Role.IMAGE) {
                c.problem(at + ".role", "only the first layer can be the image; later layers are overlays");
            }
            String colormap = item.has("colormap") ? c.text(item, at, "colormap", false) : "red";
            if (colormap != null && !OVERLAY_COLORMAPS.contains(colormap)) {
                c.problem(at + ".colormap", "unknown colour map '" + colormap + "' (one of "
                        + String.join(", ", OVERLAY_COLORMAPS.stream().sorted().toList()) + ")");
            }
            double opacity = item.has("opacity") ? c.number(item, at, "opacity") : 0.5;
            if (opacity < 0 || opacity > 1) c.problem(at + ".opacity", "must be between 0 and 1");
            if (key != null && role != null) layers.add(new ImageLayer(key, role, colormap, opacity));
        }
        return layers;
    }

    private static List<WindowPreset> presets(Check c, JsonNode root) {
        List<WindowPreset> presets = new ArrayList<>();
        JsonNode list = root.get("presets");
        if (list == null) return presets;
        if (!list.isArray()) {
            c.problem("presets", "expected a list of {name, window, level}");
            return presets;
        }
        for (int i = 0; i < list.size(); i++) {
            String at = "presets[" + i + "]";
            JsonNode item = list.get(i);
            if (!item.isObject()) {
                c.problem(at, "expected a mapping with name, window and level");
                continue;
            }
            c.knownKeys(at, item, PRESET_KEYS);
            String name = c.text(item, at, "name", true);
            double window = c.number(item, at, "window");
            double level = c.number(item, at, "level");
            if (item.has("window") && window <= 0) c.problem(at + ".window", "must be more than 0");
            if (name != null) presets.add(new WindowPreset(name, window, level));
        }
        return presets;
    }

    private static FormSchema form(Check c, JsonNode root) {
        JsonNode schema = root.get("form");
        if (schema == null) {
            c.problem("", "missing 'form': the JSON Schema of the result (type: object, properties: ...)");
            return null;
        }
        List<FieldError> meta = FormSchema.metaSchemaProblems(schema);
        for (FieldError e : meta) {
            c.problem(e.field().isEmpty() ? "form" : "form." + e.field(), "not valid JSON Schema: " + e.message());
        }
        if (!meta.isEmpty()) return null;
        if (!"object".equals(schema.path("type").asText())) {
            c.problem("form", "the form's schema must have type: object");
            return null;
        }
        JsonNode properties = schema.path("properties");
        if (!properties.isObject() || properties.isEmpty()) {
            c.problem("form", "the form needs at least one field under properties");
            return null;
        }
        int before = c.count();
        for (Map.Entry<String, JsonNode> field : properties.properties()) {
            String at = "form.properties." + field.getKey();
            JsonNode prop = field.getValue();
            String type = prop.path("type").asText("");
            if (!FIELD_TYPES.contains(type)) {
                c.problem(at, "a form field needs type string, number, integer, boolean or array");
            } else if ("array".equals(type) && !prop.path("items").path("enum").isArray()) {
                c.problem(at, "an array field is a multiple choice: give items: {enum: [...]}");
            }
        }
        for (JsonNode required : schema.path("required")) {
            if (!properties.has(required.asText())) {
                c.problem("form.required", "'" + required.asText() + "' is required but is not a field under properties");
            }
        }
        return c.count() == before ? FormSchema.compile(schema) : null;
    }

    /** Collects problems with their positions while the template is read. */
    private static final class Check {
        private final LocatedJson doc;
        private final List<TemplateProblem> problems = new ArrayList<>();

        Check(LocatedJson doc) {
            this.doc = doc;
        }

        void problem(String path, String message) {
            problems.add(new TemplateProblem(doc.at(path), path, message));
        }

        void knownKeys(String at, JsonNode object, Set<String> allowed) {
            for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!allowed.contains(key)) {
                    String path = at.isEmpty() ? key : at + "." + key;
                    problems.add(new TemplateProblem(doc.keyAt(path), path, "unknown key '" + key + "' (allowed: "
                            + String.join(", ", allowed.stream().sorted().toList()) + ")"));
                }
            }
        }

        String text(JsonNode object, String key, boolean required) {
            return text(object, "", key, required);
        }

        String text(JsonNode object, String at, String key, boolean required) {
            String path = at.isEmpty() ? key : at + "." + key;
            JsonNode v = object.get(key);
            if (v == null || v.isNull()) {
                if (required) problem(at, "missing '" + key + "'");
                return null;
            }
            if (!v.isTextual() || v.asText().isBlank()) {
                problem(path, "expected text");
                return null;
            }
            return v.asText();
        }

        int positiveInt(JsonNode object, String key) {
            JsonNode v = object.get(key);
            if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < 1) {
                problem(key, "expected a whole number of at least 1");
                return 1;
            }
            return v.intValue();
        }

        double number(JsonNode object, String at, String key) {
            JsonNode v = object.get(key);
            if (v == null) {
                problem(at, "missing '" + key + "'");
                return 0;
            }
            if (!v.isNumber()) {
                problem(at + "." + key, "expected a number");
                return 0;
            }
            return v.doubleValue();
        }

        boolean failed() {
            return !problems.isEmpty();
        }

        int count() {
            return problems.size();
        }

        InvalidTemplateException failure() {
            problems.sort((a, b) -> a.where().line() != b.where().line()
                    ? Integer.compare(a.where().line(), b.where().line())
                    : Integer.compare(a.where().column(), b.where().column()));
            return new InvalidTemplateException(problems);
        }
    }
}
