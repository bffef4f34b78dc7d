package org.cohortflow.benchmarks.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness runs end to end (both workloads, the JSON report and, when pydicom is installed, the Python
 * side and its cross-checks) on a tiny generated series. Timings are printed, never asserted.
 */
class ImagingBenchmarkSmokeTest {
    @TempDir
    Path tmp;

    @Test
    void runsOnceOnATinySeriesAndWritesItsReport() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data/patient/ct"));
        for (int z = 0; z < 3; z++) writeSlice(data.resolve("slice" + z + ".dcm"), z);
        Files.writeString(tmp.resolve("data/README.txt"), "not DICOM, not indexed\n");
        Path json = tmp.resolve("report.json");
        boolean python = pydicomAvailable();
        ImagingBenchmark.Options o = ImagingBenchmark.Options.parse(python
                ? new String[] {"--data", tmp.resolve("data").toString(), "--repeat", "1", "--warmup", "0", "--threads", "2", "--json", json.toString()}
                : new String[] {"--data", tmp.resolve("data").toString(), "--repeat", "1", "--warmup", "0", "--no-python", "--json", json.toString()});
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new ImagingBenchmark(o, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
        System.out.print(printed.toString(StandardCharsets.UTF_8));

        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(3, report.at("/environment/files").asInt());
        assertEquals(1, report.at("/environment/series").asInt());
        assertEquals(3, report.at("/cohortflow/index_single/rows").asInt());
        assertEquals(3, report.at("/cohortflow/index_parallel/rows").asInt());
        assertEquals(2L * 4 * 4 * 3, report.at("/cohortflow/load_single/voxel_bytes").asLong());
        if (python) {
            assertTrue(report.at("/checks/same_file_count").asBoolean(), report.get("checks").toString());
            assertTrue(report.at("/checks/same_volumes").asBoolean(), report.get("checks").toString());
            assertTrue(report.at("/ratios/index_single_vs_pydicom_single").isNumber(), report.get("ratios").toString());
        }
    }

    private static boolean pydicomAvailable() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import pydicom, numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A 4x4 CT slice at z mm with values z*100 + i - 1024 HU after rescaling. */
    private static void writeSlice(Path file, int z) throws Exception {
        AttributeList l = new AttributeList();
        put(l, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), "1.2.840.10008.5.1.4.1.1.2");
        put(l, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), "1.2.826.0.1.3680043.9.7777.3." + z);
        put(l, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), "1.2.826.0.1.3680043.9.7777.1");
        put(l, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), "1.2.826.0.1.3680043.9.7777.2");
        put(l, new UniqueIdentifierAttribute(TagFromName.FrameOfReferenceUID), "1.2.826.0.1.3680043.9.7777.4");
        put(l, new LongStringAttribute(TagFromName.PatientID), "SMOKE");
        put(l, new CodeStringAttribute(TagFromName.Modality), "CT");
        put(l, new CodeStringAttribute(TagFromName.PhotometricInterpretation), "MONOCHROME2");
        ushort(l, TagFromName.Rows, 4);
        ushort(l, TagFromName.Columns, 4);
        ushort(l, TagFromName.SamplesPerPixel, 1);
        ushort(l, TagFromName.BitsAllocated, 16);
        ushort(l, TagFromName.BitsStored, 12);
        ushort(l, TagFromName.HighBit, 11);
        ushort(l, TagFromName.PixelRepresentation, 0);
        decimals(l, TagFromName.ImagePositionPatient, 0, 0, z);
        decimals(l, TagFromName.ImageOrientationPatient, 1, 0, 0, 0, 1, 0);
        decimals(l, TagFromName.PixelSpacing, 1, 1);
        decimals(l, TagFromName.RescaleSlope, 1);
        decimals(l, TagFromName.RescaleIntercept, -1024);
        short[] pixels = new short[16];
        for (int i = 0; i < 16; i++) pixels[i] = (short) (z * 100 + i);
        OtherWordAttribute pd = new OtherWordAttribute(TagFromName.PixelData);
        pd.setValues(pixels);
        l.put(pd);
        FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "COHORTFLOW");
        l.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    }

    private static void put(AttributeList l, Attribute a, String value) throws Exception {
        a.addValue(value);
        l.put(a);
    }

    private static void ushort(AttributeList l, AttributeTag tag, int value) throws Exception {
        Attribute a = new UnsignedShortAttribute(tag);
        a.addValue(value);
        l.put(a);
    }

    private static void decimals(AttributeList l, AttributeTag tag, double... values) throws Exception {
        Attribute a = new DecimalStringAttribute(tag);
        for (double v : values) a.addValue(v);
        l.put(a);
    }
}
