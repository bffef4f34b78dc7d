package org.cohortflow.tasks.queue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A task as stored: what to look at ({@code content}: image URLs, subject, experiment), who may or must do
 * it, its lock, and how it ended. Nullable fields are {@code null} when not set.
 *
 * @param id          task id
 * @param project     project name
 * @param template    template name
 * @param taskGroup   the task group it belongs to (a callback when all are finished), or null
 * @param readingSet  tasks with the same reading set go to different reviewers, or null
 * @param content     {@code {"subject":..,"experiment":..,"images":{key: url}}} and any extra members
 * @param tags        free labels for filtering
 * @param status      where it is
 * @param fixedUser   the only user who may do it, or null
 * @param fixedGroup  the group whose members may do it, or null
 * @param assignee    who it is assigned to, or null while it waits in the open pool
 * @param lock        the lock as stored (may have expired), or null
 * @param draft       the reviewer's unsubmitted form values, or null
 * @param result      the submitted result, or null
 * @param skipReason  why it was skipped, or null
 * @param finishedBy  who submitted or skipped it, or null
 * @param finishedAt  when, or null
 * @param callbackUrl where its result is PUT, or null
 * @param createdBy   who created it
 * @param createdAt   when
 */
public record Task(long id, String project, String template, Long taskGroup, Long readingSet, JsonNode content,
                   List<String> tags, TaskStatus status, String fixedUser, String fixedGroup, String assignee,
                   Lock lock, JsonNode draft, JsonNode result, String skipReason, String finishedBy,
                   Instant finishedAt, String callbackUrl, String createdBy, Instant createdAt) {
    public Task {
        tags = List.copyOf(tags);
    }

    /** The lock if it still holds at {@code now}. */
    public Optional<Lock> activeLock(Instant now) {
        return lock != null && lock.activeAt(now) ? Optional.of(lock) : Optional.empty();
    }

    /** Who may do the task. */
    public Audience audience() {
        return new Audience(Optional.ofNullable(fixedUser), Optional.ofNullable(fixedGroup));
    }

    /** The task's status as seen at {@code now}: a task whose lock lapsed is queued again. */
    public TaskStatus statusAt(Instant now) {
        return status == TaskStatus.IN_PROGRESS && activeLock(now).isEmpty() ? TaskStatus.QUEUED : status;
    }
}
