package org.cohortflow.archive.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cohortflow.archive.testing.ArchiveTestData;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.dicom.DicomSeries;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.cohortflow.imaging.rtstruct.RtStruct;
import org.cohortflow.imaging.pipeline.ImagingTools;
import org.cohortflow.imaging.pipeline.ImagingTypes;
import org.cohortflow.imaging.seg.Segmentation;
import org.cohortflow.dsl.tool.InMemoryToolContext;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DICOM SEG segment chosen by label reads back as the mask it was written from (issue 18, item 3: the DICOM
 * counterpart of a NIfTI label), on the IBSI CT phantom's series and its RTSTRUCT's GTV.
 */
class SegmentationReadBackTest {

    @Test
    void theSegmentChosenByLabelOrNumberIsTheMaskWrittenAndAnUnknownOneIsRefusedNamingThosePresent(@TempDir Path dir)
            throws Exception {
        Path phantom = ArchiveTestData.ctPhantomDicom();
        DicomSeries series = DicomSeriesReader.single(phantom.resolve("image"));
        Path rt;
        try (var s = Files.list(phantom.resolve("mask"))) {
            rt = s.findFirst().orElseThrow();
        }
        RtStruct structure = RtStruct.read(rt);
        Mask gtv = structure.toMask(structure.roiNames().get(0), series);
        Path file = SegmentationWriter.write(series, gtv, "GTV", dir.resolve("seg.dcm")).file();

        Segmentation seg = Segmentation.read(file);
        assertEquals(Map.of(1, "GTV"), seg.segments());
        Mask back = seg.mask("GTV", series);
        assertTrue(back.count() > 1000, back.toString());
        assertEquals(gtv, back);
        assertEquals(gtv, seg.mask("1", series));
        ImagingException e = assertThrows(ImagingException.class, () -> seg.mask("liver", series));
        assertTrue(e.getMessage().contains("no segment 'liver'; segments present: 1 'GTV'"), e.getMessage());

        // The same through the pipeline tool imaging/SegToMask:1.
        Object viaTool = new InMemoryToolContext(ImagingTools.SEG_TO_MASK, Map.of(
                "seg", List.of(new ImagingTypes.SegFile(file.toUri())),
                "series", List.of(ImagingTypes.DicomSeriesDir.of(phantom.resolve("image").toUri(), series.seriesInstanceUid())),
                "segment", List.of("GTV")), dir.resolve("work"), "PAT1").run().get("mask").get(0);
        assertEquals(gtv, viaTool);
    }
}
