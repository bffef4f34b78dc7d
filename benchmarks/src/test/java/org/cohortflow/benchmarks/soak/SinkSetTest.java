package org.cohortflow.benchmarks.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sink sets read from real folders: what counts as the same outputs and what as a difference. */
class SinkSetTest {

    private static void write(Path dir, String path, String content) throws IOException {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void foldersWithTheSameBytesAreIdenticalWhateverTheirProvenanceTemporariesAndLocksSay(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        for (Path d : List.of(a, b)) {
            write(d, "cohort-features.csv", "id,x\ns1,1\n");
            write(d, "subjects/s1.json", "{\"x\":1}");
        }
        write(a, "cohort-features.csv.prov.json", "{\"endedAtTime\":\"10:00\"}");
        write(b, "cohort-features.csv.prov.json", "{\"endedAtTime\":\"11:00\",\"host\":\"other\"}");
        write(b, "subjects/.cohortflow-tmp-123-abc", "half a file");
        write(b, ".cohortflow.lock", "run x");

        assertEquals(List.of(), SinkSet.read(a).differencesFrom(SinkSet.read(b)));
        assertEquals(List.of("cohort-features.csv", "subjects/s1.json"), List.copyOf(SinkSet.read(b).files().keySet()));
    }

    @Test
    void aMissingFileAnExtraFileAndOneChangedByteAreEachReported(@TempDir Path tmp) throws IOException {
        Path ref = tmp.resolve("ref");
        Path run = tmp.resolve("run");
        write(ref, "subjects/s1.json", "{\"x\":1}");
        write(ref, "subjects/s2.json", "{\"x\":2}");
        write(ref, "cohort-features.parquet", "PAR1 a PAR1");
        write(run, "subjects/s1.json", "{\"x\":1}");
        write(run, "subjects/s3.json", "{\"x\":3}");
        write(run, "cohort-features.parquet", "PAR1 b PAR1");

        assertEquals(List.of(new SinkSet.Difference("cohort-features.parquet", "different bytes"),
                        new SinkSet.Difference("subjects/s2.json", "missing"),
                        new SinkSet.Difference("subjects/s3.json", "extra")),
                SinkSet.read(ref).differencesFrom(SinkSet.read(run)));
    }

    @Test
    void aRunThatWroteNoSinksMissesEveryReferenceFile(@TempDir Path tmp) throws IOException {
        write(tmp.resolve("ref"), "cohort.csv", "id\n");
        List<SinkSet.Difference> d = SinkSet.read(tmp.resolve("ref")).differencesFrom(SinkSet.read(tmp.resolve("absent")));
        assertEquals(List.of(new SinkSet.Difference("cohort.csv", "missing")), d);
        assertTrue(SinkSet.read(tmp.resolve("absent")).files().isEmpty());
    }
}
