package org.cohortflow.imaging.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cohortflow.dsl.tool.InMemoryToolContext;
import org.cohortflow.imaging.Geometry;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.TestData;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.pipeline.ImagingTools;
import org.cohortflow.imaging.pipeline.ImagingTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One label of a multi-label NIfTI mask, made from STS_001's CT mask: its voxels in the lower half of the slices
 * get label 1, the others label 2.
 */
class MultiLabelMaskTest {

    private record Labels(Path file, Mask lower, Mask upper, Volume ct) {
    }

    private static Labels labels(Path dir) {
        Path sts = TestData.require("sts-cohort/nifti/STS_001");
        Volume ct = Nifti.readVolume(sts.resolve("CT_image.nii.gz"));
        Mask gtv = Nifti.readMask(sts.resolve("CT_mask.nii.gz"), ct.geometry());
        Geometry g = gtv.geometry();
        int lo = Integer.MAX_VALUE, hi = -1;
        for (int i = 0; i < g.voxelCount(); i++) {
            if (!gtv.contains(i)) continue;
            int z = i / (g.nx() * g.ny());
            lo = Math.min(lo, z);
            hi = Math.max(hi, z);
        }
        int split = (lo + hi) / 2;
        short[] v = new short[g.voxelCount()];
        java.util.BitSet lower = new java.util.BitSet(), upper = new java.util.BitSet();
        for (int i = 0; i < v.length; i++) {
            if (!gtv.contains(i)) continue;
            boolean isLower = i / (g.nx() * g.ny()) <= split;
            v[i] = (short) (isLower ? 1 : 2);
            (isLower ? lower : upper).set(i);
        }
        Path file = dir.resolve("labels.nii.gz");
        Nifti.write(file, Volume.ofShorts(g, v));
        return new Labels(file, new Mask(g, lower), new Mask(g, upper), ct);
    }

    @Test
    void eachLabelOfAMultiLabelMaskIsReadOnItsOwn(@TempDir Path dir) {
        Labels l = labels(dir);
        assertTrue(l.lower().count() > 0 && l.upper().count() > 0);
        assertEquals(l.lower(), Nifti.readMask(l.file(), 1, l.ct().geometry()));
        assertEquals(l.upper(), Nifti.readMask(l.file(), 2, l.ct().geometry()));
        assertEquals(l.lower().count() + l.upper().count(), Nifti.readMask(l.file()).count(), "no label: every non-zero voxel");
    }

    @Test
    void anAbsentLabelIsRefusedNamingTheLabelsPresent(@TempDir Path dir) {
        Labels l = labels(dir);
        ImagingException e = assertThrows(ImagingException.class, () -> Nifti.readMask(l.file(), 3));
        assertTrue(e.getMessage().contains("label 3") && e.getMessage().contains("labels present: 1, 2")
                && e.getMessage().contains(l.file().toString()), e.getMessage());
    }

    @Test
    void theNiftiToMaskToolTakesTheLabel(@TempDir Path dir) throws Exception {
        Labels l = labels(dir);
        Path work = java.nio.file.Files.createDirectories(dir.resolve("work"));
        Mask upper = (Mask) new InMemoryToolContext(ImagingTools.NIFTI_TO_MASK, Map.of(
                "image", List.of(new ImagingTypes.NiftiGzFile(l.file().toUri())),
                "reference", List.of(l.ct()),
                "label", List.of(2L)), work, "STS_001").run().get("mask").get(0);
        assertEquals(l.upper(), upper);
    }
}
