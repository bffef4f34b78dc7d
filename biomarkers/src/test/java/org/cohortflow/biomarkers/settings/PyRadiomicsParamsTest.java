package org.cohortflow.biomarkers.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cohortflow.biomarkers.FeatureExtractor;
import org.cohortflow.biomarkers.TestData;
import org.cohortflow.biomarkers.adapter.ImagingAdapter;
import org.cohortflow.biomarkers.feature.Aggregation;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.image.RoiImage;
import org.cohortflow.biomarkers.processing.Discretisation;
import org.cohortflow.biomarkers.processing.Discretiser;
import org.cohortflow.biomarkers.table.FeatureTable;
import org.cohortflow.biomarkers.table.PyRadiomicsCsvWriter;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.nifti.Nifti;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyRadiomics parameter files (issue 18, item 4) on the STS CT data: translated to our settings, the values are
 * ours under the equivalent IBSI settings; what cannot be honoured is refused naming the key and line. There is
 * no PyRadiomics here to compare numbers with, so the checks are the documented equalities.
 */
class PyRadiomicsParamsTest {
    private static final String PARAMS = """
            # a CT study in PyRadiomics' format
            imageType:
              Original: {}
              LoG:
                sigma: [3.0]
            featureClass:
              shape:
              firstorder:
              glcm: [JointAverage, Contrast, Correlation]
              glszm:
              gldm:
            setting:
              binWidth: 25
              resampledPixelSpacing: [2, 2, 2]
              interpolator: sitkLinear
              resegmentRange: [-500, 400]
              label: 1
              padDistance: 10
              voxelArrayShift: 0
            """;

    /** The same study in our settings, written by hand from the README's table. */
    private static final String IBSI = """
            resampling: {spacing: [2, 2, 2], interpolation: linear, mask_threshold: 0.5, round: false}
            resegmentation: {range: [-500, 400]}
            discretisation: {method: fixed_bin_size, bin_width: 25, lower_bound: multiple_of_bin_width}
            families: [morph, stat, ih, cm, szm, ngl]
            filters:
              maps: [{type: log, sigma_mm: 3, cutoff: 4, boundary: nearest}]
              families: [stat, ih, cm, szm, ngl]
              discretisation: {method: fixed_bin_size, bin_width: 25, lower_bound: multiple_of_bin_width}
            """;

    private static RoiImage sts(String patient) {
        Path dir = TestData.require("sts-cohort/nifti/" + patient);
        Volume ct = Nifti.readVolume(dir.resolve("CT_image.nii.gz"));
        Mask gtv = Nifti.readMask(dir.resolve("CT_mask.nii.gz"), ct.geometry());
        return ImagingAdapter.toRoiImage(ct, gtv);
    }

    @Test
    void aPyRadiomicsFileGivesExactlyTheValuesOfTheEquivalentIbsiSettingsOnStsCt() {
        RoiImage image = sts("STS_002");
        IbsiSettings fromPyRadiomics = SettingsParser.parse(PARAMS);
        IbsiSettings ibsi = SettingsParser.parse(IBSI);
        assertEquals(ibsi.families(), fromPyRadiomics.families());
        assertEquals(ibsi.responseMaps().families(), fromPyRadiomics.responseMaps().families());
        assertEquals(ibsi.responseMaps().filters(), fromPyRadiomics.responseMaps().filters());
        List<Feature> a = new FeatureExtractor(fromPyRadiomics).extract(image);
        List<Feature> b = new FeatureExtractor(ibsi).extract(image);
        assertEquals(b, a);
        assertTrue(a.size() > 300, a.size() + " features");
    }

    @Test
    void binWidthIsAFixedBinSizeWhoseEdgesAreMultiplesOfTheWidthAsPyRadiomicsPutsThem() {
        Discretisation d = PyRadiomicsParams.parse("setting: {binWidth: 25}\n", "p.yaml").settings().discretisation();
        assertEquals(Discretisation.Method.FIXED_BIN_SIZE, d.method());
        assertEquals(25, d.binWidth());
        // An ROI from -37 HU: PyRadiomics' first edge is -50 (-37 - (-37 % 25) in Python), IBSI's would be -37.
        assertEquals(-50, d.lowerBoundFor(-37));
        assertEquals(0, d.lowerBoundFor(13));
        RoiImage roi = RoiImage.of(new int[] {4, 1, 1}, new double[] {1, 1, 1}, new float[] {-37, -26, -25, 24},
                new boolean[] {true, true, true, true});
        // Edges -50, -25, 0, 25: -37 and -26 in bin 1, -25 in 2, 24 in 3.
        assertEquals(List.of(1, 1, 2, 3), levels(Discretiser.apply(roi, d)));
        assertEquals(List.of(1, 1, 1, 3), levels(Discretiser.apply(roi, Discretisation.fixedBinSize(25, Double.NaN))));
        assertEquals(Discretisation.fixedBinNumber(32), PyRadiomicsParams.parse("setting: {binCount: 32}\n", "p.yaml")
                .settings().discretisation());
        assertEquals(Discretisation.fixedBinSize(25, -1000),
                PyRadiomicsParams.parse("setting: {binWidth: 25, binMinimum: -1000}\n", "p.yaml").settings().discretisation());
    }

    private static List<Integer> levels(org.cohortflow.biomarkers.image.DiscretisedImage d) {
        return java.util.stream.IntStream.range(0, 4).mapToObj(i -> d.level(i)).toList();
    }

    @Test
    void eachKeyIsTranslatedAsTheReadmeSays() {
        PyRadiomicsParams p = PyRadiomicsParams.parse("""
                imageType:
                  LoG: {sigma: [1.0, 2.5]}
                featureClass:
                  glrlm:
                  ngtdm:
                setting:
                  resampledPixelSpacing: [1, 1, 0]
                  interpolator: sitkBSpline
                  resegmentRange: [-3, 3]
                  resegmentMode: sigma
                  distances: [2]
                  gldm_a: 1
                  force2D: true
                  force2Ddimension: 0
                  normalize: false
                  symmetricalGLCM: true
                """, "p.yaml");
        IbsiSettings s = p.settings();
        assertTrue(Double.isNaN(s.resampling().spacing()[2]) && s.resampling().spacing()[0] == 1, "0 keeps the axis");
        assertEquals(Resampling.Interpolation.SPLINE, s.resampling().interpolation());
        assertEquals(3, s.resegmentation().outlierSigma());
        assertEquals(new TextureSettings(2, 1, 2, 2), s.texture());
        assertTrue(p.force2D());
        // Only image types given: no original image, and LoG in 2D with force2D.
        assertEquals(Set.of(), s.families());
        assertEquals(Set.of(FeatureFamily.GLRLM, FeatureFamily.NGTDM), s.responseMaps().families());
        assertEquals(List.of("log-sigma-1-0-mm-2D", "log-sigma-2-5-mm-2D"), List.copyOf(p.imageTypes().values()));
        assertEquals(Aggregation.DIRECTION_MERGED_2_5D,
                PyRadiomicsFeatures.aggregation(PyRadiomicsFeatures.find("glrlm", "RunEntropy").orElseThrow(), true));

        PyRadiomicsParams w = PyRadiomicsParams.parse("imageType: {Wavelet: {level: 2}}\nfeatureClass: {firstorder: [Mean]}\n", "w.yaml");
        assertEquals(List.of("wavelet-LLH", "wavelet-LHL", "wavelet-LHH", "wavelet-HLL", "wavelet-HLH", "wavelet-HHL", "wavelet-HHH",
                "wavelet2-LLH", "wavelet2-LHL", "wavelet2-LHH", "wavelet2-HLL", "wavelet2-HLH", "wavelet2-HHL", "wavelet2-HHH",
                "wavelet2-LLL"), List.copyOf(w.imageTypes().values()));
        assertEquals("wavelet_coif1_LLH_level1_undecimated_periodic", w.settings().responseMaps().filters().get(0).name());
    }

    @Test
    void whatCannotBeHonouredIsRefusedNamingTheKeyAndItsLine() {
        refused("featureClass:\n  firstorder:\nsetting:\n  normalize: true\n", "p.yaml line 4: setting.normalize: true");
        refused("featureClass:\n  firstorder:\nsetting:\n  binWidth: 25\n  sigmaSmoothing: 2\n", "line 5: setting.sigmaSmoothing: not mapped");
        refused("imageType:\n  Original: {}\n  Square: {}\n", "line 3: imageType.Square: image type not mapped");
        refused("featureClass:\n  shape2D:\n", "line 2: featureClass.shape2D: class not mapped");
        refused("featureClass:\n  firstorder: [Mean, TotalEnergy]\n", "line 2: featureClass.firstorder: TotalEnergy has no IBSI counterpart");
        refused("setting:\n  interpolator: sitkGaussian\n", "line 2: setting.interpolator: 'sitkGaussian' is not mapped");
        refused("featureClass:\n  firstorder:\nsetting:\n  voxelArrayShift: 1000\n", "line 4: setting.voxelArrayShift: 1000.0 is added");
        refused("setting:\n  binWidth: 25\n  binCount: 16\n", "setting.binCount: give binWidth or binCount, not both");
        refused("setting:\n  minimumROISize: 50\n", "line 2: setting.minimumROISize");
        refused("setting:\n  resegmentRange: [-2, 3]\n  resegmentMode: sigma\n", "line 2: setting.resegmentRange");
        refused("setting:\n  label: 2\n", "line 2: setting.label: 2: the label is chosen where the mask is read");
        refused("featureClass:\n  shape:\n  shape:\n", "duplicate key 'shape'");
        // Voxel arrays shifted with only features the shift leaves alone are fine.
        SettingsParser.parse("featureClass: {firstorder: [Mean, Kurtosis]}\nsetting: {voxelArrayShift: 1000}\n");
    }

    private static void refused(String yaml, String expected) {
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsParser.parse(yaml, "p.yaml"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void thePyRadiomicsNamedTableCarriesOurValuesUnderPyRadiomicsNamesWithKurtosisAsPyRadiomicsDefinesIt(@TempDir Path dir)
            throws Exception {
        RoiImage image = sts("STS_002");
        PyRadiomicsParams params = PyRadiomicsParams.parse(PARAMS, "params.yaml");
        List<Feature> features = new FeatureExtractor(params.settings()).extract(image);
        StringWriter out = new StringWriter();
        PyRadiomicsCsvWriter.write(new FeatureTable().add("STS_002", "GTV", features), params, out);
        List<String> lines = out.toString().lines().toList();
        assertEquals(2, lines.size());
        String[] header = lines.get(0).split(",");
        String[] values = lines.get(1).split(",");
        Map<String, Double> row = new HashMap<>();
        for (int i = 2; i < header.length; i++) row.put(header[i], Double.parseDouble(values[i]));
        assertEquals(value(features, "", "Q4LE"), row.get("original_firstorder_Mean"));
        assertEquals(value(features, "", "IPH6") + 3, row.get("original_firstorder_Kurtosis"), 1e-12);
        assertEquals(value(features, "", "RNU0"), row.get("original_shape_MeshVolume"));
        assertEquals(value(features, "log_3D_s3mm_d4_nearest/", "Q4LE"), row.get("log-sigma-3-0-mm-3D_firstorder_Mean"));
        assertNotEquals(row.get("original_firstorder_Mean"), row.get("log-sigma-3-0-mm-3D_firstorder_Mean"));
        assertTrue(row.containsKey("original_glcm_Contrast") && !row.containsKey("original_glcm_Autocorrelation"));
        assertTrue(row.containsKey("original_gldm_DependenceEntropy") && !row.containsKey("log-sigma-3-0-mm-3D_shape_MeshVolume"));
        assertTrue(!row.containsKey("original_shape_Compactness1") && !row.containsKey("original_shape_Maximum2DDiameterSlice"));
        assertTrue(row.values().stream().allMatch(Double::isFinite), row.toString());
        // The file written by the tool's writer reads the same.
        Path file = dir.resolve("f.csv");
        PyRadiomicsCsvWriter.write(new FeatureTable().add("STS_002", "GTV", features), params, file);
        assertEquals(out.toString(), Files.readString(file));
    }

    @Test
    void theReadmesFeatureTableIsTheOneTheCodeUses() throws Exception {
        Path readme = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null && readme == null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("biomarkers/README.md"))) readme = p.resolve("biomarkers/README.md");
        }
        assertTrue(readme != null, "no biomarkers/README.md above " + Path.of("").toAbsolutePath());
        List<String> rows = Files.readAllLines(readme).stream().filter(l -> l.startsWith("| `")).toList();
        for (PyRadiomicsFeatures.Entry e : PyRadiomicsFeatures.all()) {
            String start = "| `" + e.featureClass() + "` | `" + e.name() + "` | "
                    + (e.ibsiCode() == null ? "— | —" : e.family().shortName() + " | " + e.ibsiCode()) + " | "
                    + (e.byDefault() ? "yes" : "no (deprecated)") + " | " + (e.deviation() == null ? "" : e.deviation());
            assertTrue(rows.stream().anyMatch(r -> r.startsWith(start)), "README lacks: " + start);
        }
        assertEquals(PyRadiomicsFeatures.all().size(), rows.stream().filter(r -> r.matches("\\| `[a-z]+` \\| `\\w+` \\|.*")).count());
    }

    private static double value(List<Feature> features, String prefix, String code) {
        return features.stream().filter(f -> f.ibsiCode().equals(code) && (prefix.isEmpty() ? !f.name().contains("/")
                : f.name().startsWith(prefix)) && (f.aggregation() == Aggregation.FEATURE_3D)).findFirst().orElseThrow().value();
    }
}
