package org.cohortflow.imaging.nifti;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.cohortflow.imaging.Geometry;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.SharedSeries;
import org.cohortflow.imaging.TestData;
import org.cohortflow.imaging.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken NIfTI files fail with an error that names the file and says what is wrong. */
class NiftiBadInputTest {

    @TempDir
    Path tmp;

    private Path written(String name) {
        Geometry g = NiftiRoundTripTest.obliqueGeometry(16, 16, 16);
        float[] v = new float[g.voxelCount()];
        for (int i = 0; i < v.length; i++) v[i] = (float) Math.sin(i);   // poorly compressible, so gzip damage shows
        Path f = tmp.resolve(name);
        Nifti.write(f, Volume.ofFloats(g, v));
        return f;
    }

    private static void assertFailsNaming(Path file, String expected) {
        ImagingException e = assertThrows(ImagingException.class, () -> Nifti.readVolume(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.path().orElseThrow().equals(file));
    }

    @Test
    void aCorruptGzipStreamIsReportedAsSuch() throws Exception {
        Path f = written("corrupt.nii.gz");
        byte[] b = Files.readAllBytes(f);
        for (int i = 200; i < 260; i++) b[i] ^= 0x5a;
        Files.write(f, b);
        assertFailsNaming(f, "gzip");
    }

    @Test
    void aTruncatedGzipFileIsReported() throws Exception {
        Path f = written("cut.nii.gz");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length / 2));
        ImagingException e = assertThrows(ImagingException.class, () -> Nifti.readVolume(f));
        assertTrue(e.getMessage().contains(f.toString()) && (e.getMessage().contains("truncated") || e.getMessage().contains("gzip")),
                e.getMessage());
    }

    @Test
    void truncatedVoxelDataIsReportedWithTheByteCounts() throws Exception {
        Path f = written("short.nii");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 100));
        assertFailsNaming(f, "truncated voxel data: expected 16384 bytes");
    }

    @Test
    void aFileThatIsNotNiftiIsReported() throws Exception {
        Path f = tmp.resolve("text.nii");
        Files.writeString(f, "this is not an image, just some text that is long enough");
        assertFailsNaming(f, "not a NIfTI-1/2 file");
    }

    @Test
    void aBadHeaderIsReported() throws Exception {
        Path f = written("bad-datatype.nii");
        byte[] b = Files.readAllBytes(f);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(70, (short) 32);   // complex64
        Files.write(f, b);
        assertFailsNaming(f, "unsupported NIfTI datatype code 32");
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(70, (short) 16).putShort(40, (short) 4).putShort(48, (short) 3);
        Files.write(f, b);
        assertFailsNaming(f, "only 3-D images are supported");
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(40, (short) 3).put(344, (byte) 'x');
        Files.write(f, b);
        assertFailsNaming(f, "magic");
    }

    @Test
    void aMaskOnAnotherGridThanItsImageIsRejected() {
        SharedSeries ct = SharedSeries.all(TestData.require()).stream().filter(s -> s.name().equals("STS_001_CT")).findFirst().orElseThrow();
        SharedSeries mr = SharedSeries.all(TestData.require()).stream().filter(s -> s.name().equals("STS_001_MR_T1")).findFirst().orElseThrow();
        Geometry ctGrid = Nifti.geometry(Nifti.readHeader(ct.niftiImage()));
        ImagingException e = assertThrows(ImagingException.class, () -> Nifti.readMask(mr.niftiMask(), ctGrid));
        assertTrue(e.getMessage().contains(mr.niftiMask().toString()) && e.getMessage().contains("mask geometry does not match"), e.getMessage());
    }

    @Test
    void aMissingFileIsReported() {
        Path f = tmp.resolve("nope.nii.gz");
        assertFailsNaming(f, "no such NIfTI file");
    }
}
