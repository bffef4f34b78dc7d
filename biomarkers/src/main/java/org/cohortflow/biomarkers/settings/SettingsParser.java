package org.cohortflow.biomarkers.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.filter.FilterSpec;
import org.cohortflow.biomarkers.filter.ImageFilter;
import org.cohortflow.biomarkers.processing.Discretisation;
import org.cohortflow.dsl.yaml.DefinitionText;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.dsl.yaml.YamlNode;
import org.cohortflow.dsl.yaml.YamlReader;

/**
 * Reads {@link IbsiSettings} from YAML in IBSI's vocabulary:
 *
 * <pre>
 * resampling: {spacing: [x, y, z], interpolation: nearest|linear|cubic|spline, mask_threshold: 0.5, round: true}
 * resegmentation: {range: [lo, hi], outlier_sigma: 3}
 * discretisation: {method: none|fixed_bin_number|fixed_bin_size, bins: N, bin_width: W, lower_bound: L}
 *                 # lower_bound: multiple_of_bin_width puts the edges at multiples of W (PyRadiomics' origin)
 * texture: {glcm_distance: 1, ngldm_alpha: 0, ngldm_distance: 1, ngtdm_distance: 1}
 * ivh: {method: ..., bins: ..., bin_width: ..., lower_bound: ...}   # defaults to discretisation
 * families: [morph, stat, cm]   # IBSI family abbreviations; default all
 * filters:                      # IBSI 2: families on response maps (see {@link ResponseMapSettings})
 *   maps: [{type: log, sigma_mm: 3}, {type: wavelet, wavelet: db2, subband: LLH, level: 1}]
 *   families: [stat]            # default stat; never morph
 *   discretisation: {method: fixed_bin_number, bins: 32}   # needed for ih, ivh and texture families
 * </pre>
 *
 * A PyRadiomics parameter file ({@code setting}, {@code imageType}, {@code featureClass}) is recognised by its
 * top-level keys and translated by {@link PyRadiomicsParams}.
 *
 * <p>Every section is optional; missing sections mean IBSI's defaults (no resampling, no
 * re-segmentation, no discretisation, distance 1, alpha 0). Unknown keys, wrong types and impossible
 * values raise a {@link SettingsException} naming the key, e.g. {@code "resampling.spacing: ..."}.
 * A {@code range} bound may be {@code null} for an open side.
 */
public final class SettingsParser {
    private SettingsParser() {
    }

    /**
     * Reads settings from a YAML file. Files over the size limits of the DSL's definition files or not in
     * UTF-8 are refused naming the file, line and encoding (see {@link DefinitionText}).
     */
    public static IbsiSettings read(Path file) {
        String text;
        try {
            text = DefinitionText.read(file);
        } catch (InvalidDefinitionException e) {
            throw new SettingsException(e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses settings from YAML text. */
    public static IbsiSettings parse(String yaml) {
        return parse(yaml, "settings");
    }

    /**
     * Parses settings from YAML text; {@code source} names it in errors (a file name). Aliases ({@code *name}) and
     * merge keys ({@code <<: *name}) are resolved by the DSL's YAML reader; its tree is turned into Jackson's, with
     * YAML's types, for the checks below.
     */
    public static IbsiSettings parse(String yaml, String source) {
        JsonNode root;
        try {
            Map<YamlNode, JsonNode> converted = new IdentityHashMap<>();
            YamlNode tree = YamlReader.readOptional(yaml, source).orElse(null);
            // A PyRadiomics parameter file (setting, imageType, featureClass) is translated instead.
            if (PyRadiomicsParams.isPyRadiomics(tree)) return PyRadiomicsParams.translate(tree, true).settings();
            root = tree == null ? null : json(tree, converted);
        } catch (InvalidDefinitionException e) {
            throw new SettingsException(e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return IbsiSettings.digitalPhantom();
        }
        requireObject(root, "settings");
        requireKeys(root, "", Set.of("resampling", "resegmentation", "discretisation", "texture", "ivh", "families",
                "filters"));
        try {
            Resampling resampling = root.has("resampling") ? resampling(root.get("resampling")) : null;
            Resegmentation reseg = root.has("resegmentation") ? resegmentation(root.get("resegmentation"))
                    : Resegmentation.none();
            Discretisation disc = root.has("discretisation")
                    ? discretisation(root.get("discretisation"), "discretisation") : Discretisation.none();
            Discretisation ivh = root.has("ivh") ? discretisation(root.get("ivh"), "ivh") : disc;
            TextureSettings texture = root.has("texture") ? texture(root.get("texture")) : TextureSettings.defaults();
            Set<FeatureFamily> families = root.has("families") ? families(root.get("families"))
                    : EnumSet.allOf(FeatureFamily.class);
            ResponseMapSettings maps = root.has("filters") ? responseMaps(root.get("filters")) : ResponseMapSettings.none();
            return new IbsiSettings(resampling, reseg, disc, ivh, texture, families, maps);
        } catch (SettingsException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // Value records validate themselves and name the key in their messages.
            throw new SettingsException(e.getMessage(), e);
        }
    }

    /**
     * Converts once per node: a node named by several aliases is shared in the YAML tree, and converting
     * it again for every path to it would grow exponentially with nested aliases.
     */
    private static JsonNode json(YamlNode n, Map<YamlNode, JsonNode> converted) {
        JsonNode done = converted.get(n);
        if (done == null) {
            done = convert(n, converted);
            converted.put(n, done);
        }
        return done;
    }

    private static JsonNode convert(YamlNode n, Map<YamlNode, JsonNode> converted) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (n instanceof YamlNode.Mapping m) {
            ObjectNode o = f.objectNode();
            m.entries().forEach((k, e) -> o.set(k, json(e.value(), converted)));
            return o;
        }
        if (n instanceof YamlNode.Sequence q) {
            ArrayNode a = f.arrayNode();
            q.items().forEach(i -> a.add(json(i, converted)));
            return a;
        }
        YamlNode.Scalar s = (YamlNode.Scalar) n;
        String t = s.isNull() ? "" : s.text().trim().replace("_", "");
        try {
            return switch (s.type()) {
                case NULL -> f.nullNode();
                case BOOL -> f.booleanNode(Set.of("true", "yes", "on").contains(t.toLowerCase(Locale.ROOT)));
                case INT -> f.numberNode(t.startsWith("0x") ? Long.parseLong(t.substring(2), 16)
                        : Long.parseLong(t.startsWith("+") ? t.substring(1) : t));
                case FLOAT -> f.numberNode(switch (t.toLowerCase(Locale.ROOT)) {
                    case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
                    case "-.inf" -> Double.NEGATIVE_INFINITY;
                    case ".nan" -> Double.NaN;
                    default -> Double.parseDouble(t);
                });
                case STRING -> f.textNode(s.text());
            };
        } catch (NumberFormatException e) {
            // A number YAML accepts but Java does not parse (sexagesimal, out of range): the checks report it.
            return f.textNode(s.text());
        }
    }

    private static Resampling resampling(JsonNode n) {
        requireObject(n, "resampling");
        requireKeys(n, "resampling.", Set.of("spacing", "interpolation", "mask_threshold", "round"));
        JsonNode sp = n.get("spacing");
        if (sp == null) throw new SettingsException("resampling.spacing is required");
        double[] spacing;
        if (sp.isNumber()) {
            spacing = new double[] {sp.asDouble(), sp.asDouble(), sp.asDouble()};
        } else if (sp.isArray() && sp.size() == 3) {
            spacing = new double[3];
            // null keeps that axis: [2, 2, null] resamples in-plane only (IBSI configuration B).
            for (int i = 0; i < 3; i++) {
                spacing[i] = sp.get(i).isNull() ? Double.NaN : number(sp.get(i), "resampling.spacing[" + i + "]");
            }
        } else {
            throw new SettingsException("resampling.spacing must be a number or a list of three numbers"
                    + " (null keeps an axis, e.g. [2, 2, null]), got " + sp);
        }
        Resampling.Interpolation interp = n.has("interpolation")
                ? enumValue(n.get("interpolation"), "resampling.interpolation", Resampling.Interpolation.class)
                : Resampling.Interpolation.LINEAR;
        double threshold = n.has("mask_threshold") ? number(n.get("mask_threshold"), "resampling.mask_threshold") : 0.5;
        boolean round = n.has("round") && bool(n.get("round"), "resampling.round");
        return new Resampling(spacing, interp, threshold, round);
    }

    private static Resegmentation resegmentation(JsonNode n) {
        requireObject(n, "resegmentation");
        requireKeys(n, "resegmentation.", Set.of("range", "outlier_sigma"));
        double lo = Double.NEGATIVE_INFINITY, hi = Double.POSITIVE_INFINITY;
        if (n.has("range")) {
            JsonNode r = n.get("range");
            if (!r.isArray() || r.size() != 2) {
                throw new SettingsException("resegmentation.range must be a list [lo, hi], got " + r);
            }
            if (!r.get(0).isNull()) lo = number(r.get(0), "resegmentation.range[0]");
            if (!r.get(1).isNull()) hi = number(r.get(1), "resegmentation.range[1]");
        }
        double sigma = n.has("outlier_sigma") ? number(n.get("outlier_sigma"), "resegmentation.outlier_sigma") : Double.NaN;
        return new Resegmentation(lo, hi, sigma);
    }

    private static Discretisation discretisation(JsonNode n, String key) {
        requireObject(n, key);
        requireKeys(n, key + ".", Set.of("method", "bins", "bin_width", "lower_bound"));
        if (!n.has("method")) throw new SettingsException(key + ".method is required");
        Discretisation.Method method = enumValue(n.get("method"), key + ".method", Discretisation.Method.class);
        try {
            return switch (method) {
                case NONE -> Discretisation.none();
                case FIXED_BIN_NUMBER -> {
                    if (!n.has("bins")) throw new SettingsException(key + ".bins is required for fixed_bin_number");
                    yield Discretisation.fixedBinNumber(integer(n.get("bins"), key + ".bins"));
                }
                case FIXED_BIN_SIZE -> {
                    if (!n.has("bin_width")) throw new SettingsException(key + ".bin_width is required for fixed_bin_size");
                    // PyRadiomics' origin: edges at whole multiples of the width.
                    if (n.has("lower_bound") && n.get("lower_bound").isTextual()
                            && n.get("lower_bound").asText().equals("multiple_of_bin_width")) {
                        yield Discretisation.fixedBinSizeFromMultiple(number(n.get("bin_width"), key + ".bin_width"));
                    }
                    double lb = n.has("lower_bound") ? number(n.get("lower_bound"), key + ".lower_bound") : Double.NaN;
                    yield Discretisation.fixedBinSize(number(n.get("bin_width"), key + ".bin_width"), lb);
                }
            };
        } catch (SettingsException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SettingsException(e.getMessage().replaceFirst("^discretisation\\.", key + "."), e);
        }
    }

    /** The {@code filters} section: filters by {@link FilterSpec}, the families and discretisation of their maps. */
    private static ResponseMapSettings responseMaps(JsonNode n) {
        requireObject(n, "filters");
        requireKeys(n, "filters.", Set.of("maps", "families", "discretisation"));
        JsonNode maps = n.get("maps");
        if (maps == null || !maps.isArray() || maps.isEmpty()) {
            throw new SettingsException("filters.maps must list at least one filter, e.g. [{type: log, sigma_mm: 3}]");
        }
        List<ImageFilter> filters = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < maps.size(); i++) {
            ImageFilter f;
            try {
                f = FilterSpec.parse(maps.get(i));
            } catch (IllegalArgumentException e) {
                String m = String.valueOf(e.getMessage());
                throw new SettingsException("filters.maps[" + i + "]" + (m.startsWith("filter.") ? m.substring(6) : ": " + m), e);
            }
            if (f instanceof org.cohortflow.biomarkers.filter.WaveletFilter w && w.decimated()) {
                throw new SettingsException("filters.maps[" + i + "].decimated: a decimated wavelet's map has its own grid;"
                        + " ROI features need the image's (use decimated: false)");
            }
            if (!names.add(f.name())) {
                throw new SettingsException("filters.maps[" + i + "]: " + f.name() + " is listed twice");
            }
            filters.add(f);
        }
        Set<FeatureFamily> families = n.has("families") ? families(n.get("families"), "filters.families")
                : EnumSet.of(FeatureFamily.INTENSITY_STATISTICS);
        if (families.contains(FeatureFamily.MORPHOLOGY)) {
            if (n.has("families") && "all".equals(n.get("families").asText().trim().toLowerCase(Locale.ROOT))) {
                families.remove(FeatureFamily.MORPHOLOGY);
            } else {
                throw new SettingsException("filters.families: morph is computed from the mask, not from a response map");
            }
        }
        Discretisation disc = n.has("discretisation") ? discretisation(n.get("discretisation"), "filters.discretisation")
                : Discretisation.none();
        List<String> binned = new ArrayList<>();
        for (FeatureFamily f : families) {
            if (f != FeatureFamily.LOCAL_INTENSITY && f != FeatureFamily.INTENSITY_STATISTICS) binned.add(f.shortName());
        }
        if (!binned.isEmpty() && disc.method() == Discretisation.Method.NONE) {
            throw new SettingsException("filters.discretisation is required for " + String.join(", ", binned)
                    + " on response maps (their intensities are not grey levels), e.g. {method: fixed_bin_number, bins: 32}");
        }
        return new ResponseMapSettings(filters, families, disc);
    }

    private static Set<FeatureFamily> families(JsonNode n) {
        return families(n, "families");
    }

    /** IBSI's family abbreviations (morph, loc, stat, ih, ivh, cm, rlm, szm, dzm, ngt, ngl), or {@code all}. */
    private static Set<FeatureFamily> families(JsonNode n, String key) {
        Set<FeatureFamily> out = EnumSet.noneOf(FeatureFamily.class);
        List<JsonNode> items = new ArrayList<>();
        if (n.isArray()) n.forEach(items::add);
        else items.add(n);
        List<String> allowed = new ArrayList<>();
        for (FeatureFamily f : FeatureFamily.values()) allowed.add(f.shortName());
        for (JsonNode item : items) {
            String name = item.isTextual() ? item.asText().trim().toLowerCase(Locale.ROOT) : null;
            if ("all".equals(name)) return EnumSet.allOf(FeatureFamily.class);
            FeatureFamily match = null;
            for (FeatureFamily f : FeatureFamily.values()) {
                if (f.shortName().equals(name)) match = f;
            }
            if (match == null) {
                throw new SettingsException(key + ": unknown family " + item + " (allowed: all, "
                        + String.join(", ", allowed) + ")");
            }
            out.add(match);
        }
        if (out.isEmpty()) throw new SettingsException(key + " must name at least one family (allowed: all, "
                + String.join(", ", allowed) + ")");
        return out;
    }

    private static TextureSettings texture(JsonNode n) {
        requireObject(n, "texture");
        requireKeys(n, "texture.", Set.of("glcm_distance", "ngldm_alpha", "ngldm_distance", "ngtdm_distance"));
        TextureSettings d = TextureSettings.defaults();
        return new TextureSettings(
                n.has("glcm_distance") ? integer(n.get("glcm_distance"), "texture.glcm_distance") : d.glcmDistance(),
                n.has("ngldm_alpha") ? integer(n.get("ngldm_alpha"), "texture.ngldm_alpha") : d.ngldmAlpha(),
                n.has("ngldm_distance") ? integer(n.get("ngldm_distance"), "texture.ngldm_distance") : d.ngldmDistance(),
                n.has("ngtdm_distance") ? integer(n.get("ngtdm_distance"), "texture.ngtdm_distance") : d.ngtdmDistance());
    }

    private static void requireObject(JsonNode n, String key) {
        if (!n.isObject()) throw new SettingsException(key + " must be a mapping, got " + n);
    }

    private static void requireKeys(JsonNode n, String prefix, Set<String> allowed) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new SettingsException(prefix + k + ": unknown key (allowed: " + String.join(", ",
                        allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static double number(JsonNode n, String key) {
        if (n != null && n.isNumber()) return n.asDouble();
        throw new SettingsException(key + " must be a number, got " + n);
    }

    private static int integer(JsonNode n, String key) {
        if (n != null && n.canConvertToInt() && n.isIntegralNumber()) return n.asInt();
        throw new SettingsException(key + " must be an integer, got " + n);
    }

    private static boolean bool(JsonNode n, String key) {
        if (n.isBoolean()) return n.asBoolean();
        throw new SettingsException(key + " must be true or false, got " + n);
    }

    private static <E extends Enum<E>> E enumValue(JsonNode n, String key, Class<E> type) {
        if (n.isTextual()) {
            String v = n.asText().trim().toUpperCase(Locale.ROOT);
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(v)) return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            if (allowed.length() > 0) allowed.append(", ");
            allowed.append(e.name().toLowerCase(Locale.ROOT));
        }
        throw new SettingsException(key + " must be one of " + allowed + ", got " + n);
    }
}
