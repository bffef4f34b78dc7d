package org.cohortflow.intake.forward;

import java.nio.file.Path;
import org.cohortflow.intake.queue.IntakeObject;

/**
 * Where de-identified objects go. Forwarding the same object twice must leave one copy at the destination
 * (archives and the folder store key objects by their SOP Instance UID), which is what makes a retry after a
 * kill harmless.
 */
public interface Forwarder {

    /** Sends one de-identified file; throws when the destination did not take it. */
    void forward(Path file, IntakeObject object) throws Exception;

    /** Where objects go, in words (for the status page). */
    String describe();

    /**
     * Where a forwarded series can be read, as the study governor records a scan: a kind ({@code dicomweb},
     * {@code folder} or {@code file}) and a URL.
     */
    Scan scan(String pseudonym, String studyUid, String seriesUid);

    /**
     * Where one forwarded object can be read, as a scan: for series that are one object (an RTSTRUCT, a SEG),
     * which pipelines read as a file rather than as a series.
     */
    Scan object(String pseudonym, String studyUid, String seriesUid, String sopUid);

    /** A forwarded series as a scan of an experiment. */
    record Scan(String kind, String url) {}
}
