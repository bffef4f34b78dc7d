package org.cohortflow.biomarkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cohortflow.biomarkers.DigitalPhantomReferenceTest.Reference;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.image.RoiImage;
import org.cohortflow.biomarkers.processing.Resampler;
import org.cohortflow.biomarkers.processing.Resegmenter;
import org.cohortflow.biomarkers.settings.IbsiSettings;
import org.cohortflow.biomarkers.settings.SettingsParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Every IBSI 1 consensus value of the CT phantom's image processing configurations A-E (the reference
 * manual's tables, in {@code src/test/resources/ibsi/ct-phantom-reference-values.csv}; see the README
 * beside it) against the whole chain, from the NIfTI files and from the DICOM series with its RTSTRUCT.
 *
 * <p>Each configuration is one test; each of its values on each route is a dynamic test named after the
 * feature. Besides the features, the manual's diagnostic values of every processing step (image and voxel
 * dimensions, intensities, ROI bounding boxes and voxel counts of the initial, interpolated and re-segmented
 * image and ROI) are checked, because they locate a difference in the processing before it spreads into
 * hundreds of features.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CtPhantomReferenceTest {
    /** IBSI's configurations in our settings; comments name the manual's rows. */
    static final Map<String, String> SETTINGS = Map.of(
            // 2D, no interpolation, re-segmentation [-500, 400] HU, FBS 25 HU, IVH without discretisation.
            "A", """
                    resegmentation: {range: [-500, 400]}
                    discretisation: {method: fixed_bin_size, bin_width: 25}
                    ivh: {method: none}
                    """,
            // 2D, bilinear in-plane to 2 x 2 mm (slices kept), rounding, [-500, 400] HU, FBN 32, IVH none.
            "B", """
                    resampling: {spacing: [2, 2, null], interpolation: linear, mask_threshold: 0.5, round: true}
                    resegmentation: {range: [-500, 400]}
                    discretisation: {method: fixed_bin_number, bins: 32}
                    ivh: {method: none}
                    """,
            // 3D, trilinear to 2 mm, rounding, [-1000, 400] HU, FBS 25 HU, IVH FBS 2.5 HU.
            "C", """
                    resampling: {spacing: [2, 2, 2], interpolation: linear, mask_threshold: 0.5, round: true}
                    resegmentation: {range: [-1000, 400]}
                    discretisation: {method: fixed_bin_size, bin_width: 25}
                    ivh: {method: fixed_bin_size, bin_width: 2.5}
                    """,
            // 3D, trilinear to 2 mm, rounding, no range, 3 sigma outlier filter, FBN 32, IVH none.
            "D", """
                    resampling: {spacing: [2, 2, 2], interpolation: linear, mask_threshold: 0.5, round: true}
                    resegmentation: {outlier_sigma: 3}
                    discretisation: {method: fixed_bin_number, bins: 32}
                    ivh: {method: none}
                    """,
            // 3D, tricubic B-spline to 2 mm (mask trilinear), rounding, [-1000, 400] HU and 3 sigma, FBN 32,
            // IVH FBN 1000.
            "E", """
                    resampling: {spacing: [2, 2, 2], interpolation: spline, mask_threshold: 0.5, round: true}
                    resegmentation: {range: [-1000, 400], outlier_sigma: 3}
                    discretisation: {method: fixed_bin_number, bins: 32}
                    ivh: {method: fixed_bin_number, bins: 1000}
                    """);

    /** Diagnostic values: all 60 the manual gives per configuration. */
    static final int DIAGNOSTICS = 60;

    private static final Map<String, int[]> SUMMARY = new TreeMap<>();

    private final Map<String, CtPhantomChainTest.Case> routes = new HashMap<>();

    static List<Reference> references(String configuration) throws IOException {
        List<Reference> out = new ArrayList<>();
        try (InputStream in = CtPhantomReferenceTest.class.getResourceAsStream("/ibsi/ct-phantom-reference-values.csv")) {
            assertNotNull(in, "ibsi/ct-phantom-reference-values.csv missing from the test resources");
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int k = 1; k < lines.length; k++) {
                if (lines[k].isBlank()) continue;
                List<String> f = DigitalPhantomReferenceTest.parseCsvLine(lines[k]);
                if (!f.get(5).equals("config_" + configuration)) continue;
                out.add(new Reference(f.get(0), f.get(2), f.get(3), f.get(6), f.get(7), f.get(8), f.get(9)));
            }
        }
        return out;
    }

    private synchronized CtPhantomChainTest.Case route(String name) {
        return routes.computeIfAbsent(name, n -> n.equals("nifti") ? CtPhantomChainTest.nifti() : CtPhantomChainTest.dicom());
    }

    /** The computed features by reference key, plus the diagnostics under {@code diag|NAME||}. */
    static Map<String, Double> compute(RoiImage image, IbsiSettings settings) {
        FeatureExtractor extractor = new FeatureExtractor(settings);
        Map<String, Double> out = new HashMap<>();
        for (Feature f : extractor.extract(image)) {
            out.put(f.family().shortName() + "|" + f.name() + "|" + f.ibsiCode() + "|" + f.aggregation().code(), f.value());
        }
        // The whole interpolated image (a margin larger than the image keeps the whole grid), then re-segmentation.
        RoiImage interpolated = settings.resampling() == null ? image
                : Resampler.resample(image, settings.resampling(), 1e9);
        RoiImage resegmented = Resegmenter.apply(interpolated, settings.resegmentation());
        diagnostics(out, "init", image);
        diagnostics(out, "interp", interpolated);
        diagnostics(out, "reseg", resegmented);
        return out;
    }

    /** The manual's diagnostic features of one processing step ({@code init}, {@code interp}, {@code reseg}). */
    private static void diagnostics(Map<String, Double> out, String step, RoiImage image) {
        String[] axes = {"x", "y", "z"};
        if (!step.equals("reseg")) {
            double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < image.voxelCount(); i++) {
                sum += image.intensity(i);
                min = Math.min(min, image.intensity(i));
                max = Math.max(max, image.intensity(i));
            }
            for (int a = 0; a < 3; a++) {
                out.put("diag|img_dim_" + axes[a] + "_" + step + "_img||", (double) image.dims()[a]);
                out.put("diag|vox_dim_" + axes[a] + "_" + step + "_img||", image.spacing(a));
            }
            out.put("diag|mean_int_" + step + "_img||", sum / image.voxelCount());
            out.put("diag|min_int_" + step + "_img||", min);
            out.put("diag|max_int_" + step + "_img||", max);
        }
        boolean[][] masks = {image.intensityMask(), image.morphologicalMask()};
        String[] names = {"int_mask", "morph_mask"};
        for (int m = 0; m < 2; m++) {
            int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
            int[] hi = {-1, -1, -1};
            int count = 0;
            double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (int z = 0; z < image.nz(); z++) {
                for (int y = 0; y < image.ny(); y++) {
                    for (int x = 0; x < image.nx(); x++) {
                        int i = image.index(x, y, z);
                        if (!masks[m][i]) continue;
                        int[] p = {x, y, z};
                        for (int a = 0; a < 3; a++) {
                            lo[a] = Math.min(lo[a], p[a]);
                            hi[a] = Math.max(hi[a], p[a]);
                        }
                        count++;
                        sum += image.intensity(i);
                        min = Math.min(min, image.intensity(i));
                        max = Math.max(max, image.intensity(i));
                    }
                }
            }
            for (int a = 0; a < 3; a++) {
                out.put("diag|" + names[m] + "_dim_" + axes[a] + "_" + step + "_roi||", (double) image.dims()[a]);
                out.put("diag|" + names[m] + "_bb_dim_" + axes[a] + "_" + step + "_roi||", (double) (hi[a] - lo[a] + 1));
            }
            out.put("diag|" + names[m] + "_vox_count_" + step + "_roi||", (double) count);
            if (m == 0) {
                out.put("diag|int_mask_mean_int_" + step + "_roi||", sum / count);
                out.put("diag|int_mask_min_int_" + step + "_roi||", min);
                out.put("diag|int_mask_max_int_" + step + "_roi||", max);
            }
        }
    }

    /**
     * The tolerance, or for a tolerance of 0 (the manual's exact values, such as 0.0455 for 1/22) half a
     * unit in the last shown digit, the rule of {@link Reference#allowed()}.
     */
    static double allowed(Reference r) {
        double tolerance = Double.parseDouble(r.tolerance());
        if (tolerance > 0) return tolerance * (1 + 1e-9);
        return new Reference(r.family(), r.feature(), r.code(), r.aggregation(), r.aggregationCode(), r.value(), "").allowed();
    }

    private Stream<DynamicNode> configuration(String name) throws IOException {
        List<Reference> refs = references(name);
        IbsiSettings settings = SettingsParser.parse(SETTINGS.get(name));
        List<DynamicNode> out = new ArrayList<>();
        for (String routeName : List.of("nifti", "dicom+rtstruct")) {
            Map<String, Double> computed = compute(route(routeName).roiImage(), settings);
            List<DynamicTest> tests = new ArrayList<>();
            for (Reference r : refs) {
                tests.add(DynamicTest.dynamicTest(r.family() + " " + r.feature() + " [" + r.code() + ", " + r.aggregation()
                        + "] = " + r.value() + " ± " + r.tolerance(), () -> {
                    Double value = computed.get(r.key());
                    double expected = Double.parseDouble(r.value());
                    double allowed = allowed(r);
                    boolean ok = value != null && Math.abs(value - expected) <= allowed;
                    record(name + " " + routeName, ok);
                    assertNotNull(value, "feature not computed: " + r.key());
                    assertEquals(expected, value, allowed, r.key());
                }));
            }
            out.add(DynamicContainer.dynamicContainer("configuration " + name + ", " + routeName, tests.stream()));
        }
        return out.stream();
    }

    @TestFactory
    Stream<DynamicNode> configurationAMatchesEveryConsensusValue() throws IOException {
        return configuration("A");
    }

    @TestFactory
    Stream<DynamicNode> configurationBMatchesEveryConsensusValue() throws IOException {
        return configuration("B");
    }

    @TestFactory
    Stream<DynamicNode> configurationCMatchesEveryConsensusValue() throws IOException {
        return configuration("C");
    }

    @TestFactory
    Stream<DynamicNode> configurationDMatchesEveryConsensusValue() throws IOException {
        return configuration("D");
    }

    @TestFactory
    Stream<DynamicNode> configurationEMatchesEveryConsensusValue() throws IOException {
        return configuration("E");
    }

    /**
     * The table holds every consensus value of the manual: 346 features for the 2D and 210 for the 3D
     * configurations, and 60 diagnostic values each.
     */
    @Test
    void referenceTableHasEveryConsensusValue() throws IOException {
        for (String c : List.of("A", "B")) {
            assertEquals(346 + DIAGNOSTICS, references(c).size(), c);
        }
        for (String c : List.of("C", "D", "E")) {
            assertEquals(210 + DIAGNOSTICS, references(c).size(), c);
        }
        assertTrue(references("A").stream().allMatch(r -> !r.tolerance().isEmpty()), "every row has a tolerance");
    }

    private static synchronized void record(String run, boolean ok) {
        int[] c = SUMMARY.computeIfAbsent(run, k -> new int[2]);
        c[0] += ok ? 1 : 0;
        c[1]++;
    }

    @AfterAll
    static synchronized void printSummary() {
        SUMMARY.forEach((run, c) -> System.out.printf("IBSI CT phantom configuration %s: %d of %d match%n", run, c[0], c[1]));
    }
}
