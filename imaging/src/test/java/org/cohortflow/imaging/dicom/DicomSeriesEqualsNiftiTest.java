package org.cohortflow.imaging.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.cohortflow.imaging.Geometry;
import org.cohortflow.imaging.SharedSeries;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.nifti.Nifti;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The DICOM and NIfTI versions of each shared series are the same image: same grid, same voxels. */
class DicomSeriesEqualsNiftiTest {

    static List<SharedSeries> series() {
        return SharedSeries.forTests();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("series")
    void dicomSeriesEqualsNiftiVoxelForVoxel(SharedSeries s) {
        s.requireAvailable();
        DicomSeries series = DicomSeriesReader.single(s.dicomImages());
        assertTrue(series.isRegular(), series.problems()::toString);
        Volume dicom = DicomSeriesReader.read(series);
        Volume nifti = Nifti.readVolume(s.niftiImage());
        Geometry g = dicom.geometry();
        assertTrue(g.sameGrid(nifti.geometry(), 1e-3), () -> s + ": " + g.mismatch(nifti.geometry(), 1e-3));
        int differing = 0;
        float worst = 0;
        for (int i = 0; i < dicom.voxelCount(); i++) {
            float a = dicom.valueAt(i), b = nifti.valueAt(i);
            // float32 rounding of stored * slope + intercept is the only difference allowed
            float tol = 1e-6f * Math.max(1f, Math.abs(b));
            if (Math.abs(a - b) > tol) {
                differing++;
                worst = Math.max(worst, Math.abs(a - b));
            }
        }
        assertEquals(0, differing, s + ": voxels differing from the NIfTI version (worst " + worst + ")");
        assertFalse(series.seriesInstanceUid().isEmpty());
    }
}
