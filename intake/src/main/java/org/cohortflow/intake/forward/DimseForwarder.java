package org.cohortflow.intake.forward;

import java.nio.file.Path;
import java.util.List;
import org.cohortflow.archive.dimse.DimseClient;
import org.cohortflow.intake.queue.IntakeObject;

/** Forwards with C-STORE through the archive module's DIMSE client. */
public final class DimseForwarder implements Forwarder {
    private final DimseClient client;

    public DimseForwarder(DimseClient client) {
        this.client = client;
    }

    @Override
    public void forward(Path file, IntakeObject o) {
        DimseClient.StoreOutcome out = client.store(List.of(file));
        if (out.completed() + out.warnings() != 1 || out.failed() > 0) {
            throw new IllegalStateException("C-STORE to " + client.peer() + " failed: " + out);
        }
    }

    @Override
    public Scan scan(String pseudonym, String studyUid, String seriesUid) {
        return new Scan("file", new org.cohortflow.archive.dimse.DimseRef(client.peer(), studyUid, seriesUid,
                java.util.Optional.empty()).toUri().toString());
    }

    @Override
    public Scan object(String pseudonym, String studyUid, String seriesUid, String sopUid) {
        return new Scan("file", new org.cohortflow.archive.dimse.DimseRef(client.peer(), studyUid, seriesUid,
                java.util.Optional.of(sopUid)).toUri().toString());
    }

    @Override
    public String describe() {
        return "C-STORE " + client.peer();
    }
}
