package org.cohortflow.biomarkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import org.cohortflow.biomarkers.adapter.ImagingAdapter;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.settings.IbsiSettings;
import org.cohortflow.biomarkers.settings.SettingsParser;
import org.cohortflow.imaging.Geometry;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.nifti.Nifti;
import org.junit.jupiter.api.Test;

/**
 * A real CT where one edge slice of the ROI holds a single grey level (issue 11, item 10): STS_001's CT with
 * 100 HU bins. GLCM correlation is undefined on that slice's matrices (zero variance); the 2D averages leave
 * them out and say so, instead of turning the subject's value into NaN. NGTDM takes the IBSI manual's values
 * for such a slice and stays defined.
 */
class UndefinedSlicesIn2dAveragesTest {
    private static final IbsiSettings COARSE_BINS = SettingsParser.parse("""
            resegmentation: {range: [-1000, 400]}
            discretisation: {method: fixed_bin_size, bin_width: 100}
            """);

    private static Volume ct() {
        return Nifti.readVolume(TestData.require("sts-cohort/nifti/STS_001").resolve("CT_image.nii.gz"));
    }

    private static Mask gtv(Volume ct) {
        Path dir = TestData.require("sts-cohort/nifti/STS_001");
        return Nifti.readMask(dir.resolve("CT_mask.nii.gz"), ct.geometry());
    }

    private static Feature find(List<Feature> features, String family, String name, String aggregation) {
        return features.stream().filter(f -> f.family().shortName().equals(family) && f.name().equals(name)
                && f.aggregation().label().equals(aggregation)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + family + " " + name + " [" + aggregation + "]"));
    }

    /** The mask without its first slice (lowest slice index with ROI voxels). */
    private static Mask withoutFirstSlice(Mask mask) {
        Geometry g = mask.geometry();
        int first = -1;
        for (int z = 0; z < g.nz() && first < 0; z++) {
            for (int i = z * g.nx() * g.ny(); i < (z + 1) * g.nx() * g.ny(); i++) {
                if (mask.contains(i)) {
                    first = z;
                    break;
                }
            }
        }
        BitSet bits = mask.toBitSet();
        bits.clear(first * g.nx() * g.ny(), (first + 1) * g.nx() * g.ny());
        return new Mask(g, bits);
    }

    @Test
    void anEdgeSliceWithOneGreyLevelIsLeftOutOfThe2dAverageAndNamedInTheReason() {
        Volume ct = ct();
        Mask gtv = gtv(ct);
        List<Feature> features = new FeatureExtractor(COARSE_BINS).extract(ImagingAdapter.toRoiImage(ct, gtv));

        Feature correlation = find(features, "cm", "Correlation", "2D, averaged");
        assertTrue(Double.isFinite(correlation.value()), correlation.toString());
        assertTrue(correlation.reason() != null && correlation.reason().contains("ROI slice 1 of 31 (all directions)")
                && correlation.reason().contains("120 of 124"), String.valueOf(correlation.reason()));
        Feature sliceMerged = find(features, "cm", "Correlation", "2D, slice-merged");
        assertTrue(Double.isFinite(sliceMerged.value()) && sliceMerged.reason().contains("ROI slice 1 of 31"),
                sliceMerged.toString());

        // Slices are independent in 2D and the bins start at the range's lower bound, so the average must be
        // exactly the one of the ROI without that slice, where every matrix is defined.
        List<Feature> without = new FeatureExtractor(COARSE_BINS).extract(ImagingAdapter.toRoiImage(ct, withoutFirstSlice(gtv)));
        Feature reference = find(without, "cm", "Correlation", "2D, averaged");
        assertNull(reference.reason(), reference.reason());
        assertEquals(reference.value(), correlation.value(), 1e-12);

        // Features defined on every slice carry no note.
        Feature contrast = find(features, "cm", "Contrast", "2D, averaged");
        assertNull(contrast.reason(), contrast.reason());
    }

    @Test
    void ngtdmOnASliceOfOneGreyLevelTakesTheManualsValuesAndStaysDefined() {
        Volume ct = ct();
        List<Feature> features = new FeatureExtractor(COARSE_BINS).extract(ImagingAdapter.toRoiImage(ct, gtv(ct)));
        for (String name : List.of("Coarseness", "Contrast", "Busyness", "Complexity", "Strength")) {
            Feature f = find(features, "ngt", name, "2D");
            assertTrue(Double.isFinite(f.value()), f.toString());
            assertNull(f.reason(), f.toString());
        }
    }
}
