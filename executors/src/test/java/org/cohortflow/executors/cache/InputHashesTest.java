package org.cohortflow.executors.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.executors.ExecutionPolicy;
import org.cohortflow.executors.RunSpec;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.executors.testing.Fixtures;
import org.cohortflow.executors.storage.RunLayout;
import org.cohortflow.executors.storage.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input hashes are kept with the inputs' stamps (path, size, modification time): an input whose stamp is the
 * same is not read again (shown with a change that keeps size and time, which only {@code rehash} sees), and
 * any change of size or time is hashed again.
 */
class InputHashesTest {
    @TempDir
    Path dir;

    @Test
    void aFolderWhoseFilesKeepTheirSizeAndTimeIsNotReadAgainUnlessRehashIsAsked() throws Exception {
        Storage storage = new Storage(Map.of());
        Path series = Files.createDirectories(dir.resolve("series"));
        Path slice = Files.writeString(series.resolve("1.dcm"), "slice one");
        Files.writeString(series.resolve("2.dcm"), "slice two");
        Path run = dir.resolve("work/run");
        java.net.URI kept = RunLayout.inputHashes(run.toUri());
        String first = new InputHashes(storage, kept, false).hash(series.toUri(), FileType.Members.ALL);
        assertEquals(FileType.contentHash(series), first);
        assertTrue(Files.isDirectory(dir.resolve("work").resolve(RunLayout.INPUT_HASHES)),
                "the hash is kept in the work folder, for every run of it");

        // Same size, same time, other bytes: a later run trusts the kept hash, the strict mode reads the files.
        FileTime time = Files.getLastModifiedTime(slice);
        Files.writeString(slice, "slice 1!!");
        Files.setLastModifiedTime(slice, time);
        assertEquals(first, new InputHashes(storage, kept, false).hash(series.toUri(), FileType.Members.ALL));
        String strict = new InputHashes(storage, kept, true).hash(series.toUri(), FileType.Members.ALL);
        assertEquals(FileType.contentHash(series), strict);
        assertNotEquals(first, strict);

        // A new modification time is a change: hashed again without being asked.
        Files.writeString(slice, "slice one");
        Files.setLastModifiedTime(slice, FileTime.fromMillis(time.toMillis() + 5000));
        assertEquals(first, new InputHashes(storage, kept, false).hash(series.toUri(), FileType.Members.ALL));
        Files.writeString(series.resolve("3.dcm"), "slice three");
        assertEquals(FileType.contentHash(series),
                new InputHashes(storage, kept, false).hash(series.toUri(), FileType.Members.ALL));
    }

    @Test
    void aFileThatGrewIsHashedAgain() throws Exception {
        Storage storage = new Storage(Map.of());
        Path file = Files.writeString(dir.resolve("ct.nii"), "voxels");
        InputHashes hashes = new InputHashes(storage, RunLayout.inputHashes(dir.resolve("run").toUri()), false);
        assertEquals(FileType.contentHash(file), hashes.hash(file.toUri(), FileType.Members.ALL));
        FileTime time = Files.getLastModifiedTime(file);
        Files.writeString(file, "more voxels");
        Files.setLastModifiedTime(file, time);
        assertEquals(FileType.contentHash(file), hashes.hash(file.toUri(), FileType.Members.ALL));
    }

    @Test
    void aFileTypeAnInputWasFoundValidAsIsKeptForLaterRunsUntilTheInputChanges() throws Exception {
        Storage storage = new Storage(Map.of());
        Path series = Files.createDirectories(dir.resolve("series"));
        Files.writeString(series.resolve("1.dcm"), "slice one");
        java.net.URI kept = RunLayout.inputHashes(dir.resolve("work/run-1").toUri());
        InputHashes first = new InputHashes(storage, kept, false);
        InputHashes.Hashed h = first.hashed(series.toUri(), FileType.Members.ALL);
        assertFalse(first.knownValid(series.toUri(), FileType.Members.ALL, h.stamp(), "DicomSeries"));
        first.valid(series.toUri(), FileType.Members.ALL, h.stamp(), "DicomSeries");

        // Another run of the same work folder: the kept record says so, for that type only.
        InputHashes later = new InputHashes(storage, RunLayout.inputHashes(dir.resolve("work/run-2").toUri()), false);
        InputHashes.Hashed again = later.hashed(series.toUri(), FileType.Members.ALL);
        assertEquals(h, again);
        assertTrue(later.knownValid(series.toUri(), FileType.Members.ALL, again.stamp(), "DicomSeries"));
        assertFalse(later.knownValid(series.toUri(), FileType.Members.ALL, again.stamp(), "NiftiImage"));

        // A new file is a new stamp: checked again.
        Files.writeString(series.resolve("2.dcm"), "slice two");
        InputHashes changed = new InputHashes(storage, kept, false);
        InputHashes.Hashed now = changed.hashed(series.toUri(), FileType.Members.ALL);
        assertNotEquals(h.stamp(), now.stamp());
        assertFalse(changed.knownValid(series.toUri(), FileType.Members.ALL, now.stamp(), "DicomSeries"));
        changed.valid(series.toUri(), FileType.Members.ALL, now.stamp(), "DicomSeries");
        InputHashes trusting = new InputHashes(storage, kept, false);
        assertEquals(now, trusting.hashed(series.toUri(), FileType.Members.ALL));
        assertTrue(trusting.knownValid(series.toUri(), FileType.Members.ALL, now.stamp(), "DicomSeries"));
        // The strict mode trusts nothing kept: the input is hashed and checked again.
        InputHashes strict = new InputHashes(storage, kept, true);
        assertEquals(now, strict.hashed(series.toUri(), FileType.Members.ALL));
        assertFalse(strict.knownValid(series.toUri(), FileType.Members.ALL, now.stamp(), "DicomSeries"));
    }

    @Test
    void aResumedRunReusesTheKeptHashesAndRehashRerunsWhatChangedWithoutATrace() throws Exception {
        Files.createDirectories(dir.resolve("in"));
        Path a = Files.writeString(dir.resolve("in/a.txt"), "x\ny\n");
        Files.writeString(dir.resolve("in/b.txt"), "x\n");
        NetworkYaml.Loaded n = Fixtures.example("count-lines.yaml", dir.resolve("sinks"));
        SourceData data = SourceData.builder().add("texts", "a", a.toString())
                .add("texts", "b", dir.resolve("in/b.txt").toString()).build();
        RunSpec spec = RunSpec.of(n.network(), n.locator(), Fixtures.tools(), data, dir.resolve("work").toUri());
        try (LocalExecutor local = new LocalExecutor(2)) {
            assertEquals(0, local.run(spec).exitCode());
            // Three lines in as many bytes, at the same time: only a strict run can see it.
            FileTime time = Files.getLastModifiedTime(a);
            Files.writeString(a, "x\n\n\n");
            Files.setLastModifiedTime(a, time);
            RunReport trusting = local.run(spec.withResume(true));
            assertEquals(3, trusting.cached(), trusting.summary());
            assertEquals("2\n", Files.readString(dir.resolve("sinks/lines/a.txt")));

            RunReport strict = local.run(spec.withResume(true).withExecution(ExecutionPolicy.DEFAULT.withRehash(true)));
            assertEquals(0, strict.exitCode(), strict.summary());
            assertEquals(1, strict.cached(), "only b's count is reused: " + strict.summary());
            assertEquals("3\n", Files.readString(dir.resolve("sinks/lines/a.txt")));
        }
    }
}
