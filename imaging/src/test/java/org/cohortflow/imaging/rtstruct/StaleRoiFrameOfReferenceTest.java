package org.cohortflow.imaging.rtstruct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.cohortflow.dsl.tool.InMemoryToolContext;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.SharedSeries;
import org.cohortflow.imaging.TestData;
import org.cohortflow.imaging.dicom.DicomSeries;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.cohortflow.imaging.pipeline.ImagingTools;
import org.cohortflow.imaging.pipeline.ImagingTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real structure sets whose ROI names a frame of reference no image is in, while the structure set's
 * ReferencedFrameOfReferenceSequence ties it to the image's frame and series (issue 11, item 9). Each test
 * derives such a structure set from the shared STS_001 CT RTSTRUCT with PixelMed in a temporary folder.
 */
class StaleRoiFrameOfReferenceTest {
    private static final AttributeTag STRUCTURE_SET_ROI_SEQUENCE = new AttributeTag(0x3006, 0x0020);
    private static final AttributeTag REFERENCED_FRAME_OF_REFERENCE_SEQUENCE = new AttributeTag(0x3006, 0x0010);
    private static final AttributeTag RT_REFERENCED_STUDY_SEQUENCE = new AttributeTag(0x3006, 0x0012);
    private static final AttributeTag RT_REFERENCED_SERIES_SEQUENCE = new AttributeTag(0x3006, 0x0014);
    /** A UID no image in the shared data has (2.25 = UUID-derived root). */
    private static final String STALE_FRAME = "2.25.301234567890123456789012345678901234567";

    private static SharedSeries sts001Ct() {
        return SharedSeries.all(TestData.require()).stream().filter(s -> s.name().equals("STS_001_CT")).findFirst()
                .orElseThrow(() -> new AssertionError("STS_001 CT not in the shared data"));
    }

    /** Copies the structure set to {@code dir}, changing it with {@code edit}. */
    private static Path derived(Path original, Path dir, Consumer<AttributeList> edit) throws Exception {
        AttributeList list = new AttributeList();
        list.read(original.toFile());
        edit.accept(list);
        Path out = dir.resolve("RS_derived.dcm");
        list.removeGroupLengthAttributes();
        list.removeMetaInformationHeaderAttributes();
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "COHORTFLOW");
        list.write(out.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return out;
    }

    private static AttributeList item(AttributeList list, AttributeTag sequence) {
        return ((SequenceAttribute) list.get(sequence)).getItem(0).getAttributeList();
    }

    private static void set(AttributeList list, AttributeTag tag, String value) {
        try {
            Attribute a = list.get(tag);
            a.removeValues();
            a.addValue(value);
        } catch (com.pixelmed.dicom.DicomException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void staleRoiFrame(AttributeList list) {
        set(item(list, STRUCTURE_SET_ROI_SEQUENCE), TagFromName.ReferencedFrameOfReferenceUID, STALE_FRAME);
    }

    @Test
    void aRoiNamingNoImagesFrameIsAcceptedWhenTheStructureSetTiesItToTheImageWithAWarning(@TempDir Path dir) throws Exception {
        SharedSeries sts = sts001Ct();
        DicomSeries series = DicomSeriesReader.single(sts.dicomImages());
        Path copy = derived(sts.rtstruct(), dir, StaleRoiFrameOfReferenceTest::staleRoiFrame);

        RtStruct rt = RtStruct.read(copy);
        assertEquals(STALE_FRAME, rt.roi(sts.roi()).frameOfReferenceUid(), "the derived copy carries the stale UID");
        RtStruct.Rasterised r = rt.rasterise(sts.roi(), series);

        Mask original = RtStruct.read(sts.rtstruct()).toMask(sts.roi(), series);
        assertTrue(original.count() > 0);
        assertEquals(1.0, original.dice(r.mask()), "the same contours give the same mask");
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        String w = r.warnings().get(0);
        assertTrue(w.contains(STALE_FRAME) && w.contains(series.frameOfReferenceUid()) && w.contains(series.seriesInstanceUid())
                && w.contains(sts.roi()), w);
    }

    @Test
    void theToolRecordsTheWarningForTheJobLogAndProvenance(@TempDir Path dir) throws Exception {
        SharedSeries sts = sts001Ct();
        Path copy = derived(sts.rtstruct(), dir, StaleRoiFrameOfReferenceTest::staleRoiFrame);
        Path work = dir.resolve("work");
        java.nio.file.Files.createDirectories(work);
        InMemoryToolContext ctx = new InMemoryToolContext(ImagingTools.RTSTRUCT_TO_MASK, Map.of(
                "series", List.of(new ImagingTypes.DicomSeriesDir(sts.dicomImages().toUri())),
                "rtstruct", List.of(new ImagingTypes.RtStructFile(copy.toUri())),
                "roi", List.of(sts.roi())), work, "STS_001");
        Mask mask = (Mask) ctx.run().get("mask").get(0);
        assertTrue(mask.count() > 0);
        assertEquals(1, ctx.warnings().size(), ctx.warnings().toString());
        assertTrue(ctx.warnings().get(0).contains(STALE_FRAME), ctx.warnings().get(0));
    }

    @Test
    void aStaleRoiFrameIsRefusedWhenTheStructureSetDoesNotNameTheImagesSeries(@TempDir Path dir) throws Exception {
        SharedSeries sts = sts001Ct();
        DicomSeries series = DicomSeriesReader.single(sts.dicomImages());
        Path copy = derived(sts.rtstruct(), dir, list -> {
            staleRoiFrame(list);
            AttributeList study = item(item(list, REFERENCED_FRAME_OF_REFERENCE_SEQUENCE), RT_REFERENCED_STUDY_SEQUENCE);
            set(item(study, RT_REFERENCED_SERIES_SEQUENCE), TagFromName.SeriesInstanceUID, "2.25.1234");
        });
        ImagingException e = assertThrows(ImagingException.class, () -> RtStruct.read(copy).rasterise(sts.roi(), series));
        assertTrue(e.getMessage().contains("frame of reference mismatch") && e.getMessage().contains(series.seriesInstanceUid()),
                e.getMessage());
    }

    @Test
    void aRoiInAnotherFrameTheStructureSetReferencesIsStillRefused() {
        List<SharedSeries> all = SharedSeries.all(TestData.require());
        SharedSeries phantom = all.stream().filter(x -> x.name().startsWith("IBSI")).findFirst().orElseThrow();
        DicomSeries stsSeries = DicomSeriesReader.single(sts001Ct().dicomImages());
        ImagingException e = assertThrows(ImagingException.class,
                () -> RtStruct.read(phantom.rtstruct()).rasterise(phantom.roi(), stsSeries));
        assertTrue(e.getMessage().contains("frame of reference mismatch"), e.getMessage());
    }
}
