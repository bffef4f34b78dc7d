package org.cohortflow.imaging.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.TagFromName;

import org.cohortflow.imaging.SharedSeries;
import org.cohortflow.imaging.TestData;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.cohortflow.imaging.dicom.DicomTestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Indexing a tree that mixes good DICOM, broken DICOM and other files. */
class DicomIndexerTest {

    @TempDir
    Path tmp;

    Path tree;
    Path truncated;
    Path garbage;
    Path corruptNifti;
    Path renamed;

    @BeforeEach
    void buildTree() throws Exception {
        List<SharedSeries> all = SharedSeries.all(TestData.require());
        SharedSeries ct = all.stream().filter(s -> s.name().equals("STS_002_CT")).findFirst().orElseThrow();
        SharedSeries mr = all.stream().filter(s -> s.name().equals("STS_002_MR_T1")).findFirst().orElseThrow();
        tree = tmp.resolve("cohort");
        List<Path> cts = DicomTestFiles.copy(DicomSeriesReader.single(ct.dicomImages()).files().subList(0, 5), tree.resolve("p2/ct"));
        DicomTestFiles.copy(List.of(ct.rtstruct()), tree.resolve("p2/ct-rtstruct"));
        List<Path> mrs = DicomTestFiles.copy(DicomSeriesReader.single(mr.dicomImages()).files().subList(0, 3), tree.resolve("p2/mr"));
        // A description that needs CSV quoting.
        renamed = mrs.get(0);
        for (Path m : mrs) {
            DicomTestFiles.edit(m, l -> {
                try {
                    Attribute d = new LongStringAttribute(TagFromName.SeriesDescription);
                    d.addValue("T1, \"post\" contrast");
                    l.put(d);
                } catch (com.pixelmed.dicom.DicomException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        truncated = cts.get(4);
        DicomTestFiles.truncate(truncated, Files.size(truncated) / 2);
        garbage = tree.resolve("notes/garbage.dat");
        Files.createDirectories(garbage.getParent());
        byte[] junk = new byte[3000];
        new java.util.Random(7).nextBytes(junk);
        Files.write(garbage, junk);
        Files.writeString(tree.resolve("notes/README.md"), "# not DICOM\n");
        corruptNifti = tree.resolve("notes/broken.nii.gz");
        Files.write(corruptNifti, new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
    }

    @Test
    void goodFilesAreIndexedAndBadOnesReportedWithoutStopping() {
        IndexResult r = DicomIndexer.index(tree, 3);
        assertEquals(4 + 1 + 3, r.rows().size(), r.rows().toString());
        Map<Path, String> failures = r.failures().stream().collect(Collectors.toMap(f -> Path.of(f.file()), IndexFailure::error));
        assertEquals(List.of(corruptNifti, garbage, tree.resolve("notes/README.md"), truncated).stream().sorted().toList(),
                failures.keySet().stream().sorted().toList());
        assertTrue(failures.get(truncated).startsWith("truncated DICOM file"), failures.get(truncated));
        assertTrue(failures.get(garbage).contains("not a DICOM file"), failures.get(garbage));
        IndexRow rt = r.rows().stream().filter(x -> x.modality().equals("RTSTRUCT")).findFirst().orElseThrow();
        assertEquals(null, rt.rows());
        IndexRow ct = r.rows().stream().filter(x -> x.modality().equals("CT")).findFirst().orElseThrow();
        assertTrue(ct.rows() > 0 && ct.columns() > 0);
    }

    @Test
    void linkedFilesAndFoldersAreIndexedAndALinkLoopIsReported() throws Exception {
        Path outside = tmp.resolve("elsewhere");
        Files.createDirectories(outside);
        Path slice = Files.copy(renamed, outside.resolve("linked-slice.dcm"));
        Files.createSymbolicLink(tree.resolve("p2/linked.dcm"), slice);
        Files.createSymbolicLink(tree.resolve("p2/linked-folder"), outside);
        Files.createSymbolicLink(tree.resolve("p2/mr/loop"), tree.resolve("p2"));

        IndexResult r = DicomIndexer.index(tree, 2);
        List<String> rows = r.rows().stream().map(IndexRow::location).toList();
        assertTrue(rows.contains(tree.resolve("p2/linked.dcm").toString()), rows.toString());
        assertTrue(rows.contains(tree.resolve("p2/linked-folder/linked-slice.dcm").toString()), rows.toString());
        IndexFailure loop = r.failures().stream().filter(f -> f.location().endsWith("/loop")).findFirst().orElseThrow();
        assertTrue(loop.error().startsWith("link loop"), loop.error());
        assertEquals(4 + 1 + 3 + 2, r.rows().size());
    }

    @Test
    void csvHasExactlyTheIndexColumnsAndQuotesWhereNeeded() throws Exception {
        IndexResult r = DicomIndexer.index(tree, 2);
        Path csv = tmp.resolve("out/index.csv");
        Path bad = tmp.resolve("out/index-failures.csv");
        r.writeCsv(csv);
        r.writeFailuresCsv(bad);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("path,patient_id,study_uid,series_uid,sop_uid,modality,rows,columns,series_description", lines.get(0));
        assertEquals(1 + r.rows().size(), lines.size());
        String mrLine = lines.stream().filter(l -> l.startsWith(renamed.toString() + ",")).findFirst().orElseThrow();
        assertTrue(mrLine.endsWith(",\"T1, \"\"post\"\" contrast\""), mrLine);
        List<String> failureLines = Files.readAllLines(bad);
        assertEquals("path,error", failureLines.get(0));
        assertEquals(1 + r.failures().size(), failureLines.size());
    }

    @Test
    void samplesAreKeyedBySeriesAndFilteredByModalityDescriptionOrPredicate() {
        IndexResult r = DicomIndexer.index(tree, 2);
        List<SeriesSample> all = r.samples();
        assertEquals(3, all.size(), all.toString());     // CT, RTSTRUCT, MR
        List<SeriesSample> ct = r.samples(SeriesSample.modality("ct"));
        assertEquals(1, ct.size());
        assertEquals(4, ct.get(0).files().size());
        assertTrue(ct.get(0).id().startsWith(ct.get(0).patientId() + "/"));
        assertEquals(1, r.samples(SeriesSample.seriesDescriptionMatches("post.*contrast")).size());
        assertEquals(2, r.samples(SeriesSample.modality("CT", "MR").and(s -> s.files().size() >= 3)).size());
        assertEquals(r.samples(SeriesSample.modality("MR")), DicomIndexer.discover(tree, 1, SeriesSample.modality("MR")));
    }
}
