package org.cohortflow.biomarkers.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.cohortflow.biomarkers.morphology.MarchingCubes;
import org.cohortflow.biomarkers.morphology.Mesh;
import org.cohortflow.imaging.Geometry;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.dicom.DicomSeries;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.cohortflow.imaging.rtstruct.RtStruct;
import org.cohortflow.imaging.synth.LesionShape;
import org.cohortflow.imaging.synth.SubjectTruth;
import org.cohortflow.imaging.synth.SynthOptions;
import org.cohortflow.imaging.synth.SyntheticCohort;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The synthetic lesions' mesh volumes are within 2% of their analytic volumes: each cohort goes through
 * DICOM files, the RTSTRUCT is rasterised on the CT grid, and the mask is meshed with marching cubes as
 * the morphology features do. The reference is the analytic volume in {@code truth.csv}, not anything
 * computed here.
 */
class SyntheticLesionVolumeTest {
    private static final double TOLERANCE = 0.02;
    private static final int SUBJECTS = 3;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}s drawn from seed {1}")
    @CsvSource({"sphere, 1", "sphere, 2", "sphere, 3", "ellipsoid, 1", "ellipsoid, 2", "ellipsoid, 3"})
    void meshVolumeOfTheRasterisedRtstructIsWithinTwoPercentOfTheAnalyticVolume(String shape, long seed) {
        Path cohort = dir.resolve("cohort");
        SynthOptions options = SynthOptions.defaults().withShapes(List.of(LesionShape.of(shape)));
        new SyntheticCohort(options, seed).write(cohort, SUBJECTS, 1);
        List<SubjectTruth> truth = SyntheticCohort.readTruth(cohort.resolve(SyntheticCohort.TRUTH_CSV));
        assertEquals(SUBJECTS, truth.size());
        for (SubjectTruth t : truth) {
            assertEquals(LesionShape.of(shape), t.shape());
            List<DicomSeries> series = DicomSeriesReader.scan(cohort.resolve(t.ctDir()));
            Mask mask = RtStruct.read(cohort.resolve(t.rtstruct())).toMask(t.roi(), series.get(0));
            double[] spacing = mask.geometry().spacing();
            Mesh mesh = meshOfBoundingBox(mask);
            double analytic = t.analyticVolumeMm3();
            double meshError = mesh.volume() / analytic - 1;
            double voxelError = mask.count() * spacing[0] * spacing[1] * spacing[2] / analytic - 1;
            String what = String.format(Locale.ROOT, "%s %s radii %.2f/%.2f/%.2f mm: analytic %.1f mm3, mesh %.1f mm3 (%+.2f%%), voxels %+.2f%%",
                    t.subject(), shape, t.radii()[0], t.radii()[1], t.radii()[2], analytic, mesh.volume(), 100 * meshError, 100 * voxelError);
            assertTrue(Math.abs(meshError) <= TOLERANCE, what);
            assertTrue(Math.abs(voxelError) <= TOLERANCE, what);
        }
    }

    /**
     * Meshes the mask cropped to the box around its voxels: marching cubes pads with background anyway, so
     * the mesh is the same and the empty rest of the grid is not walked.
     */
    private static Mesh meshOfBoundingBox(Mask mask) {
        Geometry g = mask.geometry();
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}, hi = {-1, -1, -1};
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    if (!mask.contains(g.index(x, y, z))) continue;
                    int[] p = {x, y, z};
                    for (int a = 0; a < 3; a++) {
                        lo[a] = Math.min(lo[a], p[a]);
                        hi[a] = Math.max(hi[a], p[a]);
                    }
                }
            }
        }
        assertTrue(hi[0] >= 0, "empty mask");
        int[] dims = {hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1};
        boolean[] inside = new boolean[dims[0] * dims[1] * dims[2]];
        for (int z = 0; z < dims[2]; z++) {
            for (int y = 0; y < dims[1]; y++) {
                for (int x = 0; x < dims[0]; x++) {
                    inside[x + dims[0] * (y + dims[1] * z)] = mask.contains(g.index(x + lo[0], y + lo[1], z + lo[2]));
                }
            }
        }
        // The lesion must not touch the grid's border, or cropping would hide a cut surface.
        for (int a = 0; a < 3; a++) assertTrue(lo[a] > 0 && hi[a] < g.dims()[a] - 1, "lesion touches the grid border");
        return MarchingCubes.mesh(inside, dims, g.spacing());
    }
}
