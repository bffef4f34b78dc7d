package org.cohortflow.intake.forward;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cohortflow.intake.deidentify.DicomFiles;
import org.cohortflow.intake.queue.IntakeObject;

/**
 * The folder store (CTP's FileStorageService, the default on a laptop): {@code ROOT/PSEUDONYM/STUDY/SERIES/SOP.dcm},
 * each file copied beside its place, forced to disk and renamed into it.
 */
public final class FolderStore implements Forwarder {
    private final Path root;

    public FolderStore(Path root) {
        this.root = root;
    }

    @Override
    public void forward(Path file, IntakeObject o) throws Exception {
        Path target = root.resolve(o.pseudonym()).resolve(o.studyUid()).resolve(o.seriesUid()).resolve(o.sopUid() + ".dcm");
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".part-", ".dcm");
        try {
            Files.copy(file, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            DicomFiles.force(tmp);
            DicomFiles.moveAtomically(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public Scan scan(String pseudonym, String studyUid, String seriesUid) {
        return new Scan("folder", root.resolve(pseudonym).resolve(studyUid).resolve(seriesUid).toUri().toString());
    }

    @Override
    public Scan object(String pseudonym, String studyUid, String seriesUid, String sopUid) {
        return new Scan("file", root.resolve(pseudonym).resolve(studyUid).resolve(seriesUid).resolve(sopUid + ".dcm").toUri().toString());
    }

    @Override
    public String describe() {
        return "folder " + root;
    }
}
