package org.cohortflow.imaging.rtstruct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.cohortflow.imaging.Geometry;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.SharedSeries;
import org.cohortflow.imaging.TestData;
import org.cohortflow.imaging.dicom.DicomSeries;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.junit.jupiter.api.Test;

class RtStructTest {

    private static double[] square(double x0, double y0, double x1, double y1, double z) {
        return new double[] {x0, y0, z, x1, y0, z, x1, y1, z, x0, y1, z};
    }

    @Test
    void aContourInsideAnotherOnTheSameSliceCutsAHole() {
        Geometry g = Geometry.of(20, 20, 3, new double[] {0, 0, 0}, new double[] {1, 1, 2});
        // outer square covers centres 2..11, inner square centres 5..7; both on slice 1 (z = 2 mm)
        Mask m = RtStruct.rasterize(List.of(square(1.5, 1.5, 11.5, 11.5, 2), square(4.5, 4.5, 7.5, 7.5, 2)), g);
        assertEquals(10 * 10 - 3 * 3, m.count());
        assertTrue(m.contains(2, 2, 1));
        assertTrue(m.contains(11, 11, 1));
        assertFalse(m.contains(6, 6, 1), "hole");
        assertFalse(m.contains(2, 2, 0), "other slices untouched");
        assertFalse(m.contains(12, 5, 1));
    }

    @Test
    void contoursAreRasterisedOnObliqueGridsThroughTheGeometry() {
        // A grid rotated 90 degrees in-plane: +i runs along -y (anterior), +j along +x.
        Geometry g = new Geometry(new int[] {10, 10, 1}, new double[] {0, 0, 0}, new double[] {1, 1, 1},
                new double[] {0, 1, 0, -1, 0, 0, 0, 0, 1});
        Mask m = RtStruct.rasterize(List.of(square(1.5, -3.5, 3.5, -0.5, 0)), g);
        // x in 2..3 -> j 2..3, y in -3..-1 -> i 1..3
        assertEquals(2 * 3, m.count());
        assertTrue(m.contains(1, 2, 0));
        assertTrue(m.contains(3, 3, 0));
    }

    @Test
    void anUnknownRoiNameListsTheAvailableOnes() {
        SharedSeries s = SharedSeries.all(TestData.require()).get(0);
        RtStruct rt = RtStruct.read(s.rtstruct());
        ImagingException e = assertThrows(ImagingException.class, () -> rt.roi("NoSuchROI"));
        assertTrue(e.getMessage().contains(s.rtstruct().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("NoSuchROI") && e.getMessage().contains(s.roi()), e.getMessage());
    }

    @Test
    void aStructureSetFromAnotherFrameOfReferenceIsRejected() {
        List<SharedSeries> all = SharedSeries.all(TestData.require());
        SharedSeries phantom = all.stream().filter(x -> x.name().startsWith("IBSI")).findFirst().orElseThrow();
        SharedSeries sts = all.stream().filter(x -> x.name().startsWith("STS_001_CT")).findFirst().orElseThrow();
        DicomSeries stsSeries = DicomSeriesReader.single(sts.dicomImages());
        RtStruct rt = RtStruct.read(phantom.rtstruct());
        ImagingException e = assertThrows(ImagingException.class, () -> rt.toMask(phantom.roi(), stsSeries));
        assertTrue(e.getMessage().contains("frame of reference mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains(stsSeries.frameOfReferenceUid()), e.getMessage());
    }

    @Test
    void anImageFileIsNotAStructureSet() {
        SharedSeries s = SharedSeries.all(TestData.require()).get(0);
        java.nio.file.Path image = DicomSeriesReader.single(s.dicomImages()).files().get(0);
        ImagingException e = assertThrows(ImagingException.class, () -> RtStruct.read(image));
        assertTrue(e.getMessage().contains("not an RTSTRUCT"), e.getMessage());
    }
}
