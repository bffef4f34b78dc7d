package org.cohortflow.archive.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.cohortflow.archive.dicomweb.Auth;
import org.cohortflow.archive.dicomweb.DicomJson;
import org.cohortflow.archive.dicomweb.DicomWebClient;
import org.cohortflow.archive.dicomweb.DicomWebSettings;
import org.cohortflow.archive.dicomweb.QidoQuery;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.archive.testing.OrthancServer;
import org.cohortflow.dsl.types.Tabular;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.dicom.DicomSeries;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.cohortflow.imaging.rtstruct.RtStruct;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mask as DICOM SEG and measured values as a Comprehensive SR, made from the IBSI CT phantom, read back by
 * pydicom (an independent reader) and stored with STOW-RS in a real Orthanc, twice, without duplicates.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResultsToArchiveIT {
    private static final String READ_SEG = String.join("\n",
            "import sys, pydicom",
            "ds = pydicom.dcmread(sys.argv[1])",
            "assert ds.SOPClassUID == '1.2.840.10008.5.1.4.1.1.66.4', ds.SOPClassUID",
            "assert ds.Modality == 'SEG'",
            "arr = ds.pixel_array",
            "frames = ds.PerFrameFunctionalGroupsSequence",
            "refs = [f.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID for f in frames]",
            "print(ds.SOPInstanceUID)",
            "print(ds.ReferencedSeriesSequence[0].SeriesInstanceUID)",
            "print(ds.FrameOfReferenceUID)",
            "print(int(arr.sum()))",
            "print(int(ds.NumberOfFrames))",
            "print(ds.SegmentSequence[0].SegmentLabel)",
            "print(' '.join(refs))");
    private static final String READ_SR = String.join("\n",
            "import sys, pydicom",
            "ds = pydicom.dcmread(sys.argv[1])",
            "assert ds.SOPClassUID == '1.2.840.10008.5.1.4.1.1.88.33', ds.SOPClassUID",
            "print(ds.SOPInstanceUID)",
            "ev = ds.CurrentRequestedProcedureEvidenceSequence[0]",
            "print(ev.StudyInstanceUID)",
            "print(' '.join(s.SeriesInstanceUID for s in ev.ReferencedSeriesSequence))",
            "for item in ds.ContentSequence:",
            "    if item.ValueType == 'UIDREF': print('UID', item.ConceptNameCodeSequence[0].CodeMeaning, item.UID)",
            "    if item.ValueType == 'IMAGE': print('IMAGE', item.ReferencedSOPSequence[0].ReferencedSOPInstanceUID)",
            "    if item.ValueType == 'NUM':",
            "        mv = item.MeasuredValueSequence[0]",
            "        print('NUM', item.ConceptNameCodeSequence[0].CodeValue, repr(float(mv.FloatingPointValue)), mv.NumericValue, '|', item.ContentSequence[0].TextValue)");

    private OrthancServer orthanc;
    private DicomWebClient client;
    private DicomSeries series;
    private Mask mask;
    private Volume volume;
    private String python;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        python = ArchiveTestData.pythonWithPydicom();
        orthanc = OrthancServer.start(dir.resolve("orthanc"));
        Path phantom = ArchiveTestData.ctPhantomDicom();
        orthanc.upload(phantom);
        client = new DicomWebClient(DicomWebSettings.of(orthanc.dicomWebRoot(), Auth.basic(OrthancServer.USER, OrthancServer.PASSWORD)));
        series = DicomSeriesReader.single(phantom.resolve("image"));
        volume = DicomSeriesReader.read(series);
        Path rt;
        try (var s = Files.list(phantom.resolve("mask"))) {
            rt = s.findFirst().orElseThrow();
        }
        RtStruct structure = RtStruct.read(rt);
        mask = structure.toMask(structure.roiNames().get(0), series);
    }

    @AfterAll
    void stop() {
        orthanc.close();
    }

    /** Two real measurements of the phantom's ROI, as a feature table has them. */
    private Tabular measurements() {
        double sum = 0;
        for (int i = 0; i < volume.voxelCount(); i++) if (mask.contains(i)) sum += volume.valueAt(i);
        double mean = sum / mask.count();
        double volumeMm3 = mask.count() * volume.geometry().spacing()[0] * volume.geometry().spacing()[1] * volume.geometry().spacing()[2];
        List<Object[]> rows = List.of(new Object[] {"phantom", "GTV", "stat", "mean", "Q4LE", "", mean, null},
                new Object[] {"phantom", "GTV", "morph", "voxel volume", "YEKZ", "", volumeMm3, null},
                new Object[] {"phantom", "GTV", "stat", "not computed", "XXXX", "", null, "empty"});
        List<Tabular.Column> cols = List.of(new Tabular.Column("sample", Tabular.ColumnType.STRING), new Tabular.Column("roi", Tabular.ColumnType.STRING),
                new Tabular.Column("family", Tabular.ColumnType.STRING), new Tabular.Column("feature", Tabular.ColumnType.STRING),
                new Tabular.Column("ibsi_code", Tabular.ColumnType.STRING), new Tabular.Column("aggregation", Tabular.ColumnType.STRING),
                new Tabular.Column("value", Tabular.ColumnType.DOUBLE), new Tabular.Column("reason", Tabular.ColumnType.STRING));
        return new Tabular() {
            @Override
            public List<Column> columns() {
                return cols;
            }

            @Override
            public int rowCount() {
                return rows.size();
            }

            @Override
            public Object value(int row, int column) {
                return rows.get(row)[column];
            }
        };
    }

    @Test
    void theSegmentationReadsBackInPydicomWithTheMaskAndItsReferences(@TempDir Path dir) {
        Path file = dir.resolve("seg.dcm");
        String uid = SegmentationWriter.write(series, mask, "GTV", file).sopUid();
        List<String> out = ArchiveTestData.run(List.of(python, "-c", READ_SEG, file.toString()), 120).lines().toList();
        assertEquals(uid, out.get(0));
        assertEquals(series.seriesInstanceUid(), out.get(1));
        assertEquals(series.frameOfReferenceUid(), out.get(2));
        assertEquals(mask.count(), Integer.parseInt(out.get(3)), "pydicom counts the mask's voxels");
        assertEquals("GTV", out.get(5));
        Set<String> referenced = Set.of(out.get(6).split(" "));
        assertEquals(Integer.parseInt(out.get(4)), referenced.size());
        assertTrue(series.sopInstanceUids().containsAll(referenced), "every frame derives from a slice of the series");
        assertEquals(uid, SegmentationWriter.write(series, mask, "GTV", dir.resolve("again.dcm")).sopUid(), "same mask, same UID");
    }

    @Test
    void theReportReadsBackInPydicomWithEveryValueExactly(@TempDir Path dir) {
        Path segFile = dir.resolve("seg.dcm");
        WrittenObject seg = SegmentationWriter.write(series, mask, "GTV", segFile);
        String segUid = seg.sopUid();
        String segSeries = seg.seriesUid();
        Path file = dir.resolve("sr.dcm");
        Tabular t = measurements();
        String uid = MeasurementReportWriter.write(series, t, Optional.of(seg), file).sopUid();
        List<String> out = ArchiveTestData.run(List.of(python, "-c", READ_SR, file.toString()), 120).lines().toList();
        assertEquals(uid, out.get(0));
        assertEquals(series.studyInstanceUid(), out.get(1));
        assertEquals(List.of(series.seriesInstanceUid(), segSeries), List.of(out.get(2).split(" ")));
        assertTrue(out.contains("UID Frame of Reference UID " + series.frameOfReferenceUid()), String.join("\n", out));
        assertTrue(out.contains("IMAGE " + segUid), String.join("\n", out));
        List<String> nums = out.stream().filter(l -> l.startsWith("NUM ")).toList();
        assertEquals(2, nums.size(), "rows without a value are left out: " + nums);
        assertTrue(nums.get(0).startsWith("NUM Q4LE " + t.value(0, 6) + " "), nums.get(0));
        assertTrue(nums.get(0).endsWith("| GTV stat mean"), nums.get(0));
        assertTrue(nums.get(1).startsWith("NUM YEKZ " + t.value(1, 6) + " "), nums.get(1));
    }

    @Test
    void storingTheResultsTwiceKeepsOneCopyAndTheirReferencesResolveInTheArchive(@TempDir Path dir) {
        Path seg = dir.resolve("seg.dcm");
        WrittenObject written = SegmentationWriter.write(series, mask, "GTV", seg);
        String segUid = written.sopUid();
        String segSeries = written.seriesUid();
        Path sr = dir.resolve("sr.dcm");
        MeasurementReportWriter.write(series, measurements(), Optional.of(written), sr);
        int before = orthanc.instanceCount();
        DicomWebClient.StoreResult first = client.store(List.of(seg, sr));
        assertEquals(2, first.stored().size());
        assertEquals(before + 2, orthanc.instanceCount());
        Path seg2 = dir.resolve("rerun").resolve("seg.dcm");
        seg2.getParent().toFile().mkdirs();
        SegmentationWriter.write(series, mask, "GTV", seg2);
        client.store(List.of(seg2, sr));
        assertEquals(before + 2, orthanc.instanceCount(), "a rerun's results do not duplicate");

        List<DicomJson> segs = client.searchSeries(QidoQuery.all().with("Modality", "SEG"));
        assertEquals(1, segs.size());
        assertEquals(series.studyInstanceUid(), segs.get(0).string(DicomJson.STUDY_UID), "the SEG joins the source study");
        byte[] back = client.retrieveInstanceBytes(series.studyInstanceUid(), segSeries, segUid);
        Path fetched = dir.resolve("fetched.dcm");
        try {
            Files.write(fetched, back);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> out = ArchiveTestData.run(List.of(python, "-c", READ_SEG, fetched.toString()), 120).lines().toList();
        assertEquals(mask.count(), Integer.parseInt(out.get(3)));
        Set<String> inArchive = client.searchInstances(series.studyInstanceUid(), out.get(1), QidoQuery.all()).stream()
                .map(d -> d.string(DicomJson.SOP_UID)).collect(Collectors.toSet());
        assertTrue(inArchive.containsAll(Set.of(out.get(6).split(" "))), "every referenced slice is in the archive");
        assertEquals(series.frameOfReferenceUid(), client.seriesMetadata(series.studyInstanceUid(), out.get(1)).get(0)
                .string(DicomJson.FRAME_OF_REFERENCE_UID), "same frame of reference as the source series in the archive");
    }
}
