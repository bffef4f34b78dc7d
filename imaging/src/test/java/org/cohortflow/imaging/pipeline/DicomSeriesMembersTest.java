package org.cohortflow.imaging.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.imaging.synth.SubjectTruth;
import org.cohortflow.imaging.synth.SynthOptions;
import org.cohortflow.imaging.synth.SyntheticCohort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files of a folder a {@code DicomSeries} value with {@code ?series=UID} stands for. */
class DicomSeriesMembersTest {
    @TempDir
    Path dir;

    @Test
    void aSeriesQuerySelectsItsOwnSlicesAndDamagedOnesButNotOtherSeriesOrOtherFiles() throws IOException {
        List<SubjectTruth> truth = new SyntheticCohort(SynthOptions.defaults().withRadii(4, 6).withGrid(48, 48, 12, 2.0, 2.5), 3)
                .write(dir.resolve("cohort"), 2, 1);
        FileType.Members members = ((FileType) new ImagingTypes().dataTypes().stream()
                .filter(t -> t.name().equals("DicomSeries")).findFirst().orElseThrow()).members();
        Path first = dir.resolve("cohort").resolve(truth.get(0).ctDir());
        Path second = dir.resolve("cohort").resolve(truth.get(1).ctDir());
        String query = "series=" + truth.get(0).seriesUid();

        for (Path f : files(first)) assertTrue(belongs(members, query, f), f + " is a slice of the series");
        for (Path f : files(second)) assertFalse(belongs(members, query, f), f + " is another series");
        assertFalse(belongs(members, query, Files.writeString(dir.resolve("notes.txt"), "not DICOM\n")));
        Path cut = dir.resolve("cut.dcm");
        byte[] slice = Files.readAllBytes(files(first).get(0));
        Files.write(cut, java.util.Arrays.copyOf(slice, 200));
        assertTrue(belongs(members, query, cut), "a damaged file stays, so that reading the series names it");
        assertTrue(belongs(members, "other=1", files(second).get(0)), "a query without a series takes every file");
        assertEquals(12, files(first).size());
    }

    private static boolean belongs(FileType.Members m, String query, Path f) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            return m.belongs(query, f.toUri(), ch);
        }
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }
}
