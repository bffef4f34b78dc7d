package org.cohortflow.biomarkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.cohortflow.biomarkers.adapter.ImagingAdapter;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.image.RoiImage;
import org.cohortflow.biomarkers.settings.IbsiSettings;
import org.cohortflow.biomarkers.settings.SettingsParser;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.nifti.Nifti;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole chain on the IBSI CT phantom (NIfTI) with CT settings in the style of IBSI's
 * configurations: isotropic 2 mm resampling, rounding to HU, re-segmentation, and either a fixed bin
 * size or a fixed bin number. Every feature must be a finite number.
 */
class CtPhantomChainTest {
    private static RoiImage image;

    @BeforeAll
    static void read() {
        Path dir = TestData.require("ibsi-ct-phantom/nifti");
        Volume ct = Nifti.readVolume(dir.resolve("image/phantom.nii.gz"));
        Mask gtv = Nifti.readMask(dir.resolve("mask/mask.nii.gz"), ct.geometry());
        image = ImagingAdapter.toRoiImage(ct, gtv);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        """
        resampling: {spacing: [2, 2, 2], interpolation: linear, mask_threshold: 0.5, round: true}
        resegmentation: {range: [-500, 400]}
        discretisation: {method: fixed_bin_size, bin_width: 25}
        ivh: {method: fixed_bin_size, bin_width: 2.5}
        """,
        """
        resampling: {spacing: [2, 2, 2], interpolation: cubic, mask_threshold: 0.5, round: true}
        resegmentation: {range: [-1000, 400], outlier_sigma: 3}
        discretisation: {method: fixed_bin_number, bins: 32}
        ivh: {method: fixed_bin_number, bins: 1000}
        """})
    void everyFeatureIsFinite(String yaml) {
        IbsiSettings settings = SettingsParser.parse(yaml);
        long start = System.nanoTime();
        List<Feature> features = new FeatureExtractor(settings).extract(image);
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("CT phantom: %d features in %d ms%n", features.size(), ms);
        // Same count as the digital phantom run: 25 morph, 2 loc, 18 stat, 23 ih, 6 ivh, 6x25 cm,
        // 6x16 rlm, 3x16 szm, 3x16 dzm, 3x5 ngt, 3x17 ngl.
        assertEquals(482, features.size());
        List<String> notFinite = features.stream().filter(f -> !Double.isFinite(f.value()))
                .map(f -> f.family().shortName() + " " + f.name() + " [" + f.aggregation().label() + "]: " + f.reason())
                .collect(Collectors.toList());
        assertTrue(notFinite.isEmpty(), "not finite: " + notFinite);
    }
}
