package org.cohortflow.imaging.rtstruct;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;

import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.SharedSeries;
import org.cohortflow.imaging.dicom.DicomSeries;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.cohortflow.imaging.nifti.Nifti;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RTSTRUCT contours rasterised on the DICOM series' grid agree with the NIfTI voxel masks. */
class RtStructMaskAgreesWithNiftiTest {

    static List<SharedSeries> series() {
        return SharedSeries.forTests();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("series")
    void rtstructMaskMatchesNiftiMaskWithDiceAtLeast098(SharedSeries s) {
        s.requireAvailable();
        Assumptions.assumeTrue(s.rtstruct() != null, "no RTSTRUCT for " + s);
        DicomSeries series = DicomSeriesReader.single(s.dicomImages());
        RtStruct rt = RtStruct.read(s.rtstruct());
        assertTrue(rt.referencedSeriesUids().isEmpty() || rt.referencedSeriesUids().contains(series.seriesInstanceUid()),
                () -> "RTSTRUCT references " + rt.referencedSeriesUids() + ", not " + series.seriesInstanceUid());
        Mask ours = rt.toMask(s.roi(), series);
        Mask reference = Nifti.readMask(s.niftiMask(), series.geometry());
        double dice = ours.dice(reference);
        java.util.BitSet xor = ours.toBitSet();
        xor.xor(reference.toBitSet());
        System.out.printf(Locale.ROOT, "Dice %-16s %-15s %.4f (RTSTRUCT %d voxels, NIfTI %d voxels, %d differ)%n", s.name(), s.roi(), dice,
                ours.count(), reference.count(), xor.cardinality());
        assertTrue(dice >= 0.98, s + ": Dice " + dice);
    }
}
