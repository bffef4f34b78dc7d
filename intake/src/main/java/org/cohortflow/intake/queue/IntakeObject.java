package org.cohortflow.intake.queue;

import java.time.Instant;

/**
 * One received object as the queue keeps it.
 *
 * @param spoolName  its file name in the spool (received and de-identified copies share it)
 * @param source     how it arrived: dimse, stow or folder
 * @param sender     the calling AE title, user or folder
 */
public record IntakeObject(long id, String spoolName, String source, String sender, ObjectState state, boolean released,
                           String reason, String detail, long bytes, String modality, String pseudonym, String studyUid,
                           String seriesUid, String sopUid, int attempts, Instant nextAttemptAt, String lastError,
                           Instant receivedAt, Instant updatedAt) {
}
