package org.cohortflow.biomarkers.settings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.filter.Boundary;
import org.cohortflow.biomarkers.filter.ImageFilter;
import org.cohortflow.biomarkers.filter.LaplacianOfGaussian;
import org.cohortflow.biomarkers.filter.WaveletFilter;
import org.cohortflow.biomarkers.processing.Discretisation;
import org.cohortflow.dsl.yaml.DefinitionText;
import org.cohortflow.dsl.yaml.InvalidDefinitionException;
import org.cohortflow.dsl.yaml.Location;
import org.cohortflow.dsl.yaml.YamlNode;
import org.cohortflow.dsl.yaml.YamlReader;

/**
 * Reads a PyRadiomics parameter file ({@code setting}, {@code imageType}, {@code featureClass}) into our settings,
 * so PyRadiomics users can bring theirs (issue 18, item 4). Each key that maps to an IBSI setting is translated;
 * each one we cannot honour is refused with a {@link SettingsException} naming the key, its value and its line.
 * The table of keys is in biomarkers/README.md ("PyRadiomics parameter files").
 *
 * <p>{@link SettingsParser} reads such files too (it recognises the top-level keys); this class also returns what
 * only the PyRadiomics-named output needs: the image types' names and the features each class lists.
 *
 * @param settings     our settings
 * @param force2D      PyRadiomics' {@code force2D}: which aggregation its texture values correspond to
 * @param label        the mask label PyRadiomics would read ({@code setting.label}, default 1)
 * @param imageTypes   PyRadiomics' image type name of each filter's response map (e.g. {@code log-sigma-3-0-mm-3D}
 *                     for our {@code log_3D_s3mm_d4_nearest}), and {@code original} under the key {@code ""}
 * @param featureClasses each PyRadiomics feature class asked for, with its listed features (empty: its defaults)
 */
public record PyRadiomicsParams(IbsiSettings settings, boolean force2D, int label, Map<String, String> imageTypes,
                                Map<String, List<String>> featureClasses) {

    /** The top-level keys of a PyRadiomics parameter file ({@code inputImage} is the old name of {@code imageType}). */
    static final Set<String> TOP_LEVEL = Set.of("setting", "imageType", "inputImage", "featureClass", "voxelSetting");

    /** Whether {@code root} is a PyRadiomics parameter file rather than our settings. */
    public static boolean isPyRadiomics(YamlNode root) {
        return root instanceof YamlNode.Mapping m && !m.entries().isEmpty()
                && m.entries().keySet().stream().anyMatch(TOP_LEVEL::contains);
    }

    /** Reads a PyRadiomics parameter file. */
    public static PyRadiomicsParams read(Path file) {
        try {
            return translate(YamlReader.read(DefinitionText.read(file), file.toString()));
        } catch (InvalidDefinitionException e) {
            throw new SettingsException(e.getMessage(), e);
        }
    }

    /** Parses a PyRadiomics parameter file's text. */
    public static PyRadiomicsParams parse(String yaml, String source) {
        try {
            return translate(YamlReader.read(yaml, source));
        } catch (InvalidDefinitionException e) {
            throw new SettingsException(e.getMessage(), e);
        }
    }

    /** Translates a PyRadiomics parameter file's tree. */
    public static PyRadiomicsParams translate(YamlNode root) {
        return translate(root, false);
    }

    /**
     * Translates a PyRadiomics parameter file's tree; with {@code labelChosenElsewhere} a {@code setting.label} other
     * than 1 is refused, for readers (the tools, the CLI) whose mask is read before the settings are.
     */
    public static PyRadiomicsParams translate(YamlNode root, boolean labelChosenElsewhere) {
        YamlNode.Mapping top = mapping(root, "the parameter file");
        for (YamlNode.Mapping.Entry e : top.entries().values()) {
            if (!TOP_LEVEL.contains(e.key())) {
                throw refuse(e.keyLocation(), e.key(), "not a PyRadiomics section (setting, imageType, featureClass)");
            }
            if (e.key().equals("voxelSetting")) {
                throw refuse(e.keyLocation(), e.key(), "voxel-based extraction (feature maps) is not supported");
            }
        }
        if (top.has("imageType") && top.has("inputImage")) {
            throw refuse(top.entries().get("inputImage").keyLocation(), "inputImage", "give imageType or its old name inputImage, not both");
        }
        Settings s = settings(top.get("setting").orElse(null));
        if (labelChosenElsewhere && s.label != 1) {
            throw refuse(s.labelAt, "setting.label", s.label + ": the label is chosen where the mask is read (the label input"
                    + " of imaging/NiftiToMask:1, Nifti.readMask(path, label)); here only 1, PyRadiomics' default, is accepted");
        }
        Map<String, List<String>> classes = featureClasses(top.get("featureClass").orElse(null));

        Set<FeatureFamily> families = EnumSet.noneOf(FeatureFamily.class);
        for (Map.Entry<String, List<String>> c : classes.entrySet()) {
            for (PyRadiomicsFeatures.Entry e : PyRadiomicsFeatures.all()) {
                boolean wanted = c.getValue().isEmpty() ? e.byDefault() : c.getValue().contains(e.name());
                if (e.featureClass().equals(c.getKey()) && wanted && e.ibsiCode() != null) families.add(e.family());
            }
        }
        // PyRadiomics' first-order Energy and RMS include voxelArrayShift; IBSI's do not.
        if (s.voxelArrayShift != 0 && classes.containsKey("firstorder")) {
            List<String> fo = classes.get("firstorder");
            if (fo.isEmpty() || fo.contains("Energy") || fo.contains("RootMeanSquared") || fo.contains("TotalEnergy")) {
                throw refuse(s.voxelArrayShiftAt, "setting.voxelArrayShift", s.voxelArrayShift + " is added to every intensity for"
                        + " firstorder Energy, TotalEnergy and RootMeanSquared; IBSI's energy has no shift: set it to 0, or list"
                        + " the firstorder features without those three");
            }
        }

        YamlNode types = top.get("imageType").orElse(top.get("inputImage").orElse(null));
        String typesKey = top.has("inputImage") ? "inputImage" : "imageType";
        Map<String, String> imageTypes = new LinkedHashMap<>();
        List<ImageFilter> filters = new ArrayList<>();
        boolean original = types == null;
        if (types != null) {
            YamlNode.Mapping t = mapping(types, typesKey);
            for (YamlNode.Mapping.Entry e : t.entries().values()) {
                String key = typesKey + "." + e.key();
                YamlNode.Mapping args = e.value() instanceof YamlNode.Scalar sc && sc.isNull() ? null : mapping(e.value(), key);
                switch (e.key()) {
                    case "Original" -> {
                        requireNoArgs(args, key);
                        original = true;
                        imageTypes.put("", "original");
                    }
                    case "LoG" -> {
                        List<Double> sigmas = args == null || !args.has("sigma") ? List.of() : numbers(args.get("sigma").get(), key + ".sigma");
                        if (sigmas.isEmpty()) throw refuse(e.keyLocation(), key, "needs sigma: [..] in mm (PyRadiomics skips LoG without it)");
                        for (String k : args.entries().keySet()) {
                            if (!k.equals("sigma")) throw refuse(args.entries().get(k).keyLocation(), key + "." + k, "not a LoG setting we map");
                        }
                        for (double sigma : sigmas) {
                            // SimpleITK's recursive filter treats the border as zero-flux: nearest is the closest condition.
                            ImageFilter f = new LaplacianOfGaussian(sigma, 4, s.force2D, Boundary.NEAREST);
                            filters.add(f);
                            imageTypes.put(f.name(), "log-sigma-" + pyNumber(sigma) + "-mm-" + (s.force2D ? "2D" : "3D"));
                        }
                    }
                    case "Wavelet", "wavelet" -> {
                        String wavelet = "coif1";
                        int start = 0, levels = 1;
                        if (args != null) {
                            for (YamlNode.Mapping.Entry a : args.entries().values()) {
                                switch (a.key()) {
                                    case "wavelet" -> wavelet = text(a.value(), key + ".wavelet");
                                    case "start_level" -> start = integer(a.value(), key + ".start_level");
                                    case "level" -> levels = integer(a.value(), key + ".level");
                                    default -> throw refuse(a.keyLocation(), key + "." + a.key(), "not a wavelet setting we map");
                                }
                            }
                        }
                        if (!Set.of("haar", "db1", "db2", "db3", "coif1").contains(wavelet)) {
                            throw refuse(e.keyLocation(), key + ".wavelet", wavelet + " is not implemented (haar, db1-db3, coif1 are)");
                        }
                        if (s.force2D) throw refuse(e.keyLocation(), key, "2D wavelets (force2D) are not mapped");
                        for (int level = start + 1; level <= start + levels; level++) {
                            // PyRadiomics numbers the levels it yields from 1 and yields the approximation (LLL) once, last.
                            String prefix = level - start == 1 ? "wavelet-" : "wavelet" + (level - start) + "-";
                            List<String> bands = level == start + levels
                                    ? List.of("LLH", "LHL", "LHH", "HLL", "HLH", "HHL", "HHH", "LLL")
                                    : List.of("LLH", "LHL", "LHH", "HLL", "HLH", "HHL", "HHH");
                            for (String band : bands) {
                                // PyRadiomics' stationary transform wraps around (periodic); its letters follow x, y, z as ours.
                                ImageFilter f = new WaveletFilter(wavelet, band, level, null, Boundary.PERIODIC, false);
                                filters.add(f);
                                imageTypes.put(f.name(), prefix + band);
                            }
                        }
                    }
                    default -> throw refuse(e.keyLocation(), key, "image type not mapped (Original, LoG and Wavelet are)");
                }
            }
            if (!original && filters.isEmpty()) throw refuse(types.location(), typesKey, "names no image type");
        }
        if (original) imageTypes.put("", "original");
        if (families.isEmpty()) {
            throw refuse(top.location(), "featureClass", "selects no feature we compute");
        }
        Set<FeatureFamily> onMaps = EnumSet.copyOf(families);
        onMaps.remove(FeatureFamily.MORPHOLOGY);
        ResponseMapSettings maps = filters.isEmpty() || onMaps.isEmpty() ? ResponseMapSettings.none()
                : new ResponseMapSettings(filters, onMaps, s.discretisation);
        Set<FeatureFamily> own = original ? families : EnumSet.noneOf(FeatureFamily.class);
        if (own.isEmpty() && !maps.any()) throw refuse(top.location(), "featureClass", "selects only shape, and no Original image");
        IbsiSettings settings = new IbsiSettings(s.resampling, s.resegmentation, s.discretisation, s.discretisation, s.texture,
                own, maps);
        return new PyRadiomicsParams(settings, s.force2D, s.label, imageTypes, classes);
    }

    /** The translated {@code setting} section. */
    private static final class Settings {
        Resampling resampling;
        Resegmentation resegmentation = Resegmentation.none();
        Discretisation discretisation = Discretisation.fixedBinSizeFromMultiple(25);
        TextureSettings texture = TextureSettings.defaults();
        boolean force2D;
        int label = 1;
        Location labelAt;
        double voxelArrayShift;
        Location voxelArrayShiftAt;
    }

    private static Settings settings(YamlNode node) {
        Settings s = new Settings();
        if (node == null || node instanceof YamlNode.Scalar sc && sc.isNull()) return s;
        YamlNode.Mapping m = mapping(node, "setting");
        Double binWidth = null, binMinimum = null;
        Integer binCount = null;
        double[] spacing = null;
        Resampling.Interpolation interpolation = Resampling.Interpolation.SPLINE; // PyRadiomics' default sitkBSpline
        double lo = Double.NEGATIVE_INFINITY, hi = Double.POSITIVE_INFINITY;
        String mode = "absolute";
        Location rangeAt = null;
        int distance = 1, alpha = 0;
        for (YamlNode.Mapping.Entry e : m.entries().values()) {
            String key = "setting." + e.key();
            YamlNode v = e.value();
            boolean isNull = v instanceof YamlNode.Scalar sc && sc.isNull();
            switch (e.key()) {
                case "binWidth" -> binWidth = isNull ? null : number(v, key);
                case "binCount" -> binCount = isNull ? null : integer(v, key);
                case "binMinimum" -> binMinimum = isNull ? null : number(v, key);
                case "resampledPixelSpacing" -> {
                    if (!isNull) {
                        List<Double> sp = numbers(v, key);
                        if (sp.size() != 3) throw refuse(e.keyLocation(), key, "needs three numbers [x, y, z], got " + sp);
                        spacing = new double[3];
                        // PyRadiomics keeps an axis whose spacing is 0; so does a null spacing here.
                        for (int a = 0; a < 3; a++) spacing[a] = sp.get(a) == 0 ? Double.NaN : sp.get(a);
                    }
                }
                case "interpolator" -> {
                    String i = isNull ? "" : text(v, key);
                    interpolation = switch (i) {
                        case "sitkNearestNeighbor" -> Resampling.Interpolation.NEAREST;
                        case "sitkLinear" -> Resampling.Interpolation.LINEAR;
                        case "sitkBSpline" -> Resampling.Interpolation.SPLINE;
                        default -> throw refuse(e.keyLocation(), key, "'" + i + "' is not mapped (sitkNearestNeighbor, sitkLinear,"
                                + " sitkBSpline are)");
                    };
                }
                case "resegmentRange" -> {
                    if (!isNull) {
                        List<Double> r = numbers(v, key);
                        if (r.isEmpty() || r.size() > 2) throw refuse(e.keyLocation(), key, "needs [lower] or [lower, upper]");
                        lo = r.get(0);
                        if (r.size() == 2) hi = r.get(1);
                        rangeAt = e.keyLocation();
                    }
                }
                case "resegmentMode" -> mode = text(v, key);
                case "resegmentShape" -> {
                    if (!isNull && bool(v, key)) {
                        throw refuse(e.keyLocation(), key, "true re-segments the shape mask too; IBSI (and we) keep the"
                                + " morphological mask");
                    }
                }
                case "force2D" -> s.force2D = !isNull && bool(v, key);
                case "force2Ddimension" -> {
                    if (!isNull && integer(v, key) != 0) {
                        throw refuse(e.keyLocation(), key, "only 0 (slices along the image's third axis) is mapped");
                    }
                }
                case "label" -> {
                    s.label = isNull ? 1 : integer(v, key);
                    s.labelAt = e.keyLocation();
                }
                case "distances" -> {
                    List<Double> d = numbers(v, key);
                    if (d.size() != 1 || d.get(0) != Math.rint(d.get(0)) || d.get(0) < 1) {
                        throw refuse(e.keyLocation(), key, "only one whole distance is mapped, got " + d);
                    }
                    distance = (int) Math.rint(d.get(0));
                }
                case "gldm_a" -> alpha = isNull ? 0 : integer(v, key);
                case "symmetricalGLCM" -> {
                    if (!isNull && !bool(v, key)) throw refuse(e.keyLocation(), key, "false: IBSI's GLCM is symmetric");
                }
                case "weightingNorm" -> {
                    if (!isNull) throw refuse(e.keyLocation(), key, "weighted merging of directions is not IBSI's; leave it empty");
                }
                case "normalize" -> {
                    if (!isNull && bool(v, key)) throw refuse(e.keyLocation(), key, "true: intensity normalisation is not implemented");
                }
                case "normalizeScale", "removeOutliers" -> {
                    if (!isNull) throw refuse(e.keyLocation(), key, "belongs to normalize, which is not implemented");
                }
                case "voxelArrayShift" -> {
                    s.voxelArrayShift = isNull ? 0 : number(v, key);
                    s.voxelArrayShiftAt = e.keyLocation();
                }
                // These change what is computed, not the values: the whole image is filtered (padDistance), the
                // mask must be on the image's grid (correctMask, geometryTolerance), and the rest is bookkeeping.
                case "padDistance", "preCrop", "additionalInfo", "enableCExtensions", "correctMask", "geometryTolerance" -> {
                }
                case "minimumROIDimensions", "minimumROISize" -> throw refuse(e.keyLocation(), key,
                        "ROIs are not checked for size; features undefined for a small ROI are NaN with a reason");
                default -> throw refuse(e.keyLocation(), key, "not mapped to an IBSI setting");
            }
        }
        if (binWidth != null && binCount != null) {
            throw refuse(m.location(), "setting.binCount", "give binWidth or binCount, not both");
        }
        if (binCount != null) {
            s.discretisation = Discretisation.fixedBinNumber(binCount);
        } else {
            double w = binWidth == null ? 25 : binWidth;
            s.discretisation = binMinimum != null ? Discretisation.fixedBinSize(w, binMinimum)
                    : Discretisation.fixedBinSizeFromMultiple(w);
        }
        switch (mode) {
            case "absolute" -> s.resegmentation = new Resegmentation(lo, hi, Double.NaN);
            case "sigma" -> {
                if (rangeAt == null || lo != -hi || !(hi > 0)) {
                    throw refuse(rangeAt == null ? m.location() : rangeAt, "setting.resegmentRange",
                            "with resegmentMode sigma only a symmetric [-n, n] maps (IBSI's outlier filter)");
                }
                s.resegmentation = new Resegmentation(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, hi);
            }
            default -> throw refuse(m.location(), "setting.resegmentMode", "'" + mode + "' is not mapped (absolute, sigma are)");
        }
        if (spacing != null) {
            // PyRadiomics resamples the mask by nearest neighbour; IBSI (and we) interpolate it and keep >= 0.5.
            s.resampling = new Resampling(spacing, interpolation, 0.5, false);
        }
        s.texture = new TextureSettings(distance, alpha, distance, distance);
        return s;
    }

    private static Map<String, List<String>> featureClasses(YamlNode node) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (node == null) {
            // PyRadiomics without featureClass computes every class.
            for (String c : PyRadiomicsFeatures.classes().keySet()) out.put(c, List.of());
            return out;
        }
        YamlNode.Mapping m = mapping(node, "featureClass");
        for (YamlNode.Mapping.Entry e : m.entries().values()) {
            String key = "featureClass." + e.key();
            if (!PyRadiomicsFeatures.classes().containsKey(e.key())) {
                throw refuse(e.keyLocation(), key, "class not mapped (" + String.join(", ", PyRadiomicsFeatures.classes().keySet()) + " are)");
            }
            List<String> names = new ArrayList<>();
            if (!(e.value() instanceof YamlNode.Scalar sc && sc.isNull())) {
                if (!(e.value() instanceof YamlNode.Sequence seq)) throw refuse(e.value().location(), key, "expected a list of feature names");
                for (YamlNode item : seq.items()) {
                    String name = text(item, key);
                    var entry = PyRadiomicsFeatures.find(e.key(), name);
                    if (entry.isEmpty()) throw refuse(item.location(), key, "PyRadiomics has no feature '" + name + "' in " + e.key());
                    if (entry.get().ibsiCode() == null) {
                        throw refuse(item.location(), key, name + " has no IBSI counterpart (" + entry.get().deviation() + ")");
                    }
                    names.add(name);
                }
            }
            out.put(e.key(), List.copyOf(names));
        }
        return out;
    }

    /** PyRadiomics' spelling of a sigma in an image type name: 3.0 -> {@code 3-0}. */
    static String pyNumber(double v) {
        return Double.toString(v).replace('.', '-');
    }

    private static SettingsException refuse(Location at, String key, String why) {
        return new SettingsException(where(at) + key + ": " + why);
    }

    private static String where(Location at) {
        return at == null || at.line() <= 0 ? "" : at.source() + " line " + at.line() + ": ";
    }

    private static YamlNode.Mapping mapping(YamlNode n, String key) {
        if (n instanceof YamlNode.Mapping m) return m;
        throw refuse(n.location(), key, "expected a mapping, got " + n.kind());
    }

    private static void requireNoArgs(YamlNode.Mapping args, String key) {
        if (args != null && !args.entries().isEmpty()) {
            throw refuse(args.location(), key, "settings per image type are not mapped; give {}");
        }
    }

    private static String text(YamlNode n, String key) {
        if (n instanceof YamlNode.Scalar s && !s.isNull()) return s.text();
        throw refuse(n.location(), key, "expected text, got " + n.kind());
    }

    private static double number(YamlNode n, String key) {
        if (n instanceof YamlNode.Scalar s && (s.type() == YamlNode.ScalarType.INT || s.type() == YamlNode.ScalarType.FLOAT)) {
            try {
                return Double.parseDouble(s.text().trim().replace("_", ""));
            } catch (NumberFormatException e) {
                // fall through to the refusal
            }
        }
        throw refuse(n.location(), key, "expected a number, got " + (n instanceof YamlNode.Scalar s ? "'" + s.text() + "'" : n.kind()));
    }

    private static int integer(YamlNode n, String key) {
        double d = number(n, key);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) throw refuse(n.location(), key, "expected a whole number, got " + d);
        return (int) d;
    }

    private static boolean bool(YamlNode n, String key) {
        if (n instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.BOOL) {
            return Set.of("true", "yes", "on").contains(s.text().trim().toLowerCase(Locale.ROOT));
        }
        throw refuse(n.location(), key, "expected true or false");
    }

    private static List<Double> numbers(YamlNode n, String key) {
        List<Double> out = new ArrayList<>();
        if (n instanceof YamlNode.Sequence seq) {
            for (YamlNode i : seq.items()) out.add(number(i, key));
        } else {
            out.add(number(n, key));
        }
        return out;
    }
}
