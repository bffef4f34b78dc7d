package org.cohortflow.imaging.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.cohortflow.imaging.Geometry;
import org.cohortflow.imaging.TestData;
import org.cohortflow.imaging.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks our NIfTI geometry and voxels against nibabel, an independent reader, on real and written files. */
class NiftiAgreesWithNibabelTest {

    /** Prints, per file: path, shape, the 3x4 RAS affine nibabel uses, the voxel sum and the first x-row. */
    private static final String SCRIPT = """
            import sys, nibabel as nib, numpy as np
            for f in sys.argv[1:]:
                im = nib.load(f)
                a = im.affine
                d = np.asarray(im.dataobj, dtype=np.float64)
                print(f, ' '.join(str(s) for s in im.shape), ' '.join(repr(float(x)) for x in a[:3].ravel()),
                      repr(float(d.sum())), ' '.join(repr(float(x)) for x in d[:, d.shape[1] // 2, d.shape[2] // 2]))
            """;

    @TempDir
    Path tmp;

    @Test
    void everySharedNiftiFileHasNibabelsAffineAndVoxels() throws Exception {
        Path data = TestData.require();
        String python = TestData.requirePython("nibabel", "numpy");
        List<String> files;
        try (Stream<Path> s = Files.walk(data)) {
            files = s.filter(p -> p.toString().endsWith(".nii.gz") || p.toString().endsWith(".nii")).map(Path::toString).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no NIfTI files under " + data);
        compare(python, files);
    }

    @Test
    void filesWeWriteReadTheSameInNibabel() throws Exception {
        String python = TestData.requirePython("nibabel", "numpy");
        Geometry g = NiftiRoundTripTest.obliqueGeometry(6, 5, 4);
        List<String> files = new ArrayList<>();
        for (NiftiDataType t : NiftiDataType.values()) {
            for (int version : new int[] {1, 2}) {
                Path f = tmp.resolve(t + "-v" + version + (version == 2 ? "-be.nii" : ".nii.gz"));
                Nifti.write(f, Volume.ofFloats(g, NiftiRoundTripTest.valuesFor(t, g.voxelCount())), t, version,
                        version == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                files.add(f.toString());
            }
        }
        compare(python, files);
    }

    private static void compare(String python, List<String> files) throws Exception {
        String out = TestData.runPython(python, SCRIPT, files);
        List<String> lines = out.lines().toList();
        assertEquals(files.size(), lines.size(), out);
        for (String line : lines) {
            String[] f = line.split(" ");
            Path path = Path.of(f[0]);
            Volume v = Nifti.readVolume(path);
            Geometry g = v.geometry();
            int[] dims = {Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3])};
            assertEquals(java.util.Arrays.toString(dims), java.util.Arrays.toString(g.dims()), path.toString());
            double[] affine = new double[12];
            for (int i = 0; i < 12; i++) affine[i] = Double.parseDouble(f[4 + i]);
            // Our LPS geometry, expressed as a RAS affine like nibabel's.
            double[] d = g.direction(), s = g.spacing(), o = g.origin();
            double[] ours = new double[12];
            double[] sign = {-1, -1, 1};
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) ours[4 * r + c] = sign[r] * d[3 * r + c] * s[c];
                ours[4 * r + 3] = sign[r] * o[r];
            }
            for (int i = 0; i < 12; i++) assertEquals(affine[i], ours[i], 1e-4, path + " affine element " + i);
            double sum = 0;
            for (int i = 0; i < v.voxelCount(); i++) sum += v.valueAt(i);
            double nibSum = Double.parseDouble(f[16]);
            assertEquals(nibSum, sum, 1e-6 * Math.max(1, Math.abs(nibSum)) + 1e-3, path + " voxel sum");
            int y = dims[1] / 2, z = dims[2] / 2;
            for (int x = 0; x < dims[0]; x++) {
                assertEquals(Double.parseDouble(f[17 + x]), v.valueAt(x, y, z), 1e-6 * Math.abs(Double.parseDouble(f[17 + x])),
                        path + " voxel " + x + "," + y + "," + z);
            }
        }
    }
}
