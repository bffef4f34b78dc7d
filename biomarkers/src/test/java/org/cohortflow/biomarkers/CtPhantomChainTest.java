package org.cohortflow.biomarkers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cohortflow.biomarkers.adapter.ImagingAdapter;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.image.RoiImage;
import org.cohortflow.biomarkers.settings.IbsiSettings;
import org.cohortflow.biomarkers.settings.SettingsParser;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.dicom.DicomSeries;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.cohortflow.imaging.nifti.Nifti;
import org.cohortflow.imaging.rtstruct.RtStruct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole chain on the IBSI CT phantom with CT settings in the style of IBSI's configurations:
 * isotropic 2 mm resampling, rounding to HU, re-segmentation, and either a fixed bin size or a fixed
 * bin number. It runs from the NIfTI files and from the DICOM series with the RTSTRUCT ROI
 * {@code GTV-1}; every feature must be a finite number, and both routes must agree.
 */
class CtPhantomChainTest {
    static final String FIXED_BIN_SIZE = """
            resampling: {spacing: [2, 2, 2], interpolation: linear, mask_threshold: 0.5, round: true}
            resegmentation: {range: [-500, 400]}
            discretisation: {method: fixed_bin_size, bin_width: 25}
            ivh: {method: fixed_bin_size, bin_width: 2.5}
            """;
    static final String FIXED_BIN_NUMBER = """
            resampling: {spacing: [2, 2, 2], interpolation: cubic, mask_threshold: 0.5, round: true}
            resegmentation: {range: [-1000, 400], outlier_sigma: 3}
            discretisation: {method: fixed_bin_number, bins: 32}
            ivh: {method: fixed_bin_number, bins: 1000}
            """;

    /** Image and mask as read by one route; loaded per test so that a missing data set skips only that test. */
    record Case(Volume volume, Mask mask) {
        RoiImage roiImage() {
            return ImagingAdapter.toRoiImage(volume, mask);
        }
    }

    static Case nifti() {
        Path dir = TestData.require("ibsi-ct-phantom/nifti");
        Volume ct = Nifti.readVolume(dir.resolve("image/phantom.nii.gz"));
        return new Case(ct, Nifti.readMask(dir.resolve("mask/mask.nii.gz"), ct.geometry()));
    }

    static Case dicom() {
        Path dir = TestData.require("ibsi-ct-phantom/dicom");
        DicomSeries series = DicomSeriesReader.single(dir.resolve("image"));
        RtStruct rtstruct = RtStruct.read(dir.resolve("mask/DCM_RS_00060.dcm"));
        return new Case(DicomSeriesReader.read(series), rtstruct.toMask("GTV-1", series));
    }

    static Stream<Arguments> routesAndSettings() {
        List<Arguments> out = new ArrayList<>();
        for (String route : List.of("nifti", "dicom+rtstruct")) {
            out.add(Arguments.of(route, "fixed bin size", FIXED_BIN_SIZE));
            out.add(Arguments.of(route, "fixed bin number", FIXED_BIN_NUMBER));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("routesAndSettings")
    void everyFeatureIsFinite(String route, String label, String yaml) {
        Case c = route.equals("nifti") ? nifti() : dicom();
        IbsiSettings settings = SettingsParser.parse(yaml);
        long start = System.nanoTime();
        List<Feature> features = new FeatureExtractor(settings).extract(c.roiImage());
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("CT phantom (%s, %s): %d features in %d ms%n", route, label, features.size(), ms);
        // Same count as the digital phantom run: 25 morph, 2 loc, 18 stat, 23 ih, 6 ivh, 6x25 cm,
        // 6x16 rlm, 3x16 szm, 3x16 dzm, 3x5 ngt, 3x17 ngl.
        assertEquals(482, features.size());
        List<String> notFinite = features.stream().filter(f -> !Double.isFinite(f.value()))
                .map(f -> f.family().shortName() + " " + f.name() + " [" + f.aggregation().label() + "]: " + f.reason())
                .collect(Collectors.toList());
        assertTrue(notFinite.isEmpty(), "not finite: " + notFinite);
    }

    /**
     * The data set's NIfTI files were converted from its DICOM files, so when our DICOM reader and RTSTRUCT
     * rasteriser reproduce the same voxels, every feature must come out the same.
     *
     * <p>The grids are equal only to about 1e-13: the DICOM slice spacing comes from the image positions
     * (2.9999999999998486 mm) where the NIfTI header stores 3.0. Resampling followed by rounding to whole
     * HU turns that into different voxels wherever an interpolated value lies exactly on a half HU
     * (interpolation weights of 1/2 are common when going from 3 mm to 2 mm), so the routes are compared
     * on the native grid with rounding, and on the resampled grid without it.
     */
    @Test
    void dicomRouteEqualsNiftiRoute() {
        Case n = nifti();
        Case d = dicom();
        assertTrue(n.volume().geometry().sameGrid(d.volume().geometry(), Mask.GRID_TOLERANCE_MM),
                () -> "grids differ: " + n.volume().geometry().mismatch(d.volume().geometry(), Mask.GRID_TOLERANCE_MM));
        assertArrayEquals(n.volume().toFloatArray(), d.volume().toFloatArray(), "CT voxels differ between NIfTI and DICOM");
        double dice = n.mask().dice(d.mask());
        assumeTrue(dice == 1.0, "RTSTRUCT rasterisation differs from the NIfTI mask (Dice " + dice
                + "), so the routes are not voxel-identical and their features need not agree");
        List<String> settings = List.of(
                "resegmentation: {range: [-500, 400]}\ndiscretisation: {method: fixed_bin_size, bin_width: 25}\n",
                "resegmentation: {range: [-1000, 400], outlier_sigma: 3}\ndiscretisation: {method: fixed_bin_number, bins: 32}\n",
                FIXED_BIN_SIZE.replace("round: true", "round: false"));
        for (String yaml : settings) {
            FeatureExtractor extractor = new FeatureExtractor(SettingsParser.parse(yaml));
            List<Feature> fromNifti = extractor.extract(n.roiImage());
            List<Feature> fromDicom = extractor.extract(d.roiImage());
            assertEquals(fromNifti.size(), fromDicom.size());
            for (int i = 0; i < fromNifti.size(); i++) {
                Feature a = fromNifti.get(i), b = fromDicom.get(i);
                String what = a.family().shortName() + " " + a.name() + " [" + a.aggregation().label() + "]";
                assertEquals(what, b.family().shortName() + " " + b.name() + " [" + b.aggregation().label() + "]");
                assertEquals(a.value(), b.value(), 1e-6 * Math.max(1, Math.abs(a.value())), what);
            }
        }
    }

    @Test
    void familiesInParallelGiveTheSequentialResult() {
        RoiImage image = nifti().roiImage();
        FeatureExtractor extractor = new FeatureExtractor(SettingsParser.parse(FIXED_BIN_SIZE));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Feature> sequential = extractor.extract(image);
            List<Feature> parallel = extractor.extract(image, pool);
            assertEquals(sequential, parallel);
        } finally {
            pool.shutdownNow();
        }
    }
}
