package org.cohortflow.intake.forward;

import java.nio.file.Path;
import java.util.List;
import org.cohortflow.archive.dicomweb.DicomWebClient;
import org.cohortflow.intake.queue.IntakeObject;

/** Forwards with STOW-RS through the archive module's DICOMweb client. */
public final class DicomWebForwarder implements Forwarder {
    private final DicomWebClient client;

    public DicomWebForwarder(DicomWebClient client) {
        this.client = client;
    }

    @Override
    public void forward(Path file, IntakeObject o) {
        client.store(List.of(file));
    }

    @Override
    public Scan scan(String pseudonym, String studyUid, String seriesUid) {
        String root = client.settings().root().toString().replaceAll("/+$", "");
        return new Scan("dicomweb", root + "/studies/" + studyUid + "/series/" + seriesUid);
    }

    @Override
    public Scan object(String pseudonym, String studyUid, String seriesUid, String sopUid) {
        return new Scan("dicomweb", scan(pseudonym, studyUid, seriesUid).url() + "/instances/" + sopUid);
    }

    @Override
    public String describe() {
        return "STOW-RS " + client.settings().root();
    }
}
