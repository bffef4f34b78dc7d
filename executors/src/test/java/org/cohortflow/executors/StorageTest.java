package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.executors.storage.Storage;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageTest {
    @TempDir
    Path dir;

    private final Storage storage = new Storage(Map.of());

    @Test
    void anAtomicWriteReplacesTheTargetAndRemovesWhatAKilledWriterLeftBehind() throws Exception {
        long dead = new ProcessBuilder("true").start().onExit().get().pid();
        Fixtures.write(dir.resolve("out/a.txt"), "old\n");
        Fixtures.write(dir.resolve("out/.cohortflow-tmp-a.txt." + dead + "-" + java.util.UUID.randomUUID()), "half-writ");
        storage.writeAtomically(dir.resolve("out/a.txt").toUri(), "new\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("a.txt", "new\n"), Fixtures.files(dir.resolve("out")));
    }

    @Test
    void aWriterNeverRemovesTheTemporaryOfAnotherLiveWriterOfTheSameTarget() throws Exception {
        String live = ".cohortflow-tmp-a.txt." + ProcessHandle.current().pid() + "-" + java.util.UUID.randomUUID();
        Fixtures.write(dir.resolve("out/" + live), "being written");
        storage.writeAtomically(dir.resolve("out/a.txt").toUri(), "new\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("a.txt", "new\n", live, "being written"), Fixtures.files(dir.resolve("out")));
    }

    @Test
    void aNameWithGlobCharactersNeverTakesTheTemporariesOfAnotherTarget() throws Exception {
        long dead = new ProcessBuilder("true").start().onExit().get().pid();
        String other = ".cohortflow-tmp-a b.txt.prov.json." + dead + "-" + java.util.UUID.randomUUID();
        Fixtures.write(dir.resolve("out/" + other), "another target's provenance");
        storage.writeAtomically(dir.resolve("out/a?b.txt").toUri(), "new\n".getBytes(StandardCharsets.UTF_8));
        storage.writeAtomically(dir.resolve("out/a b.txt").toUri(), "b\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("a?b.txt", "new\n", "a b.txt", "b\n", other, "another target's provenance"),
                Fixtures.files(dir.resolve("out")));
    }

    @Test
    void anAtomicCopyOfAFolderReplacesTheWholeFolder() throws IOException {
        Fixtures.write(dir.resolve("src/series/1.dcm"), "one");
        Fixtures.write(dir.resolve("src/series/2.dcm"), "two");
        Fixtures.write(dir.resolve("dst/series/old.dcm"), "old");
        storage.copyAtomically(dir.resolve("src/series").toUri(), dir.resolve("dst/series").toUri());
        assertEquals(Map.of("series/1.dcm", "one", "series/2.dcm", "two"), Fixtures.files(dir.resolve("dst")));
    }

    @Test
    void contentHashesMatchTheDataTypesHashForFilesAndFolders() throws IOException {
        Fixtures.write(dir.resolve("f/a.txt"), "a");
        Fixtures.write(dir.resolve("f/sub/b.txt"), "b");
        URI folder = dir.resolve("f").toUri();
        assertEquals(FileType.contentHash(dir.resolve("f")), storage.contentHash(folder));
        assertEquals(64, storage.contentHash(dir.resolve("f/a.txt").toUri()).length());
        assertEquals(true, Files.isDirectory(dir.resolve("f")));
    }

    @Test
    void aQueryNarrowsAValueInsideItsFolderSoItIsPartOfTheHashButNotOfTheLocation() throws IOException {
        Fixtures.write(dir.resolve("mixed/1.dcm"), "one");
        URI folder = dir.resolve("mixed").toUri();
        URI seriesA = URI.create(folder + "?series=1.2.3");
        URI seriesB = URI.create(folder + "?series=4.5.6");
        assertEquals(true, storage.exists(seriesA));
        assertEquals(dir.resolve("mixed"), storage.localise(seriesA, dir.resolve("stage")));
        assertEquals(folder, Storage.withoutQuery(seriesA));
        assertEquals(false, storage.contentHash(seriesA).equals(storage.contentHash(seriesB)));
        assertEquals(false, storage.contentHash(seriesA).equals(storage.contentHash(folder)));
    }

    /** A stand-in for a DICOM series rule: a file belongs to {@code ?part=X} when its text starts with X. */
    static final FileType.Members BY_FIRST_LETTER = (query, file, content) -> {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
        content.position(0);
        return content.read(b) == 1 && query.equals("part=" + (char) b.get(0));
    };
}
