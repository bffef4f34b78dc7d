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
}
