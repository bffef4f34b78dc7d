package org.cohortflow.tasks.queue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * A task to create, as checked by the API.
 *
 * @param project        project name (must exist)
 * @param template       template name (must exist)
 * @param content        subject, experiment and image URLs
 * @param tags           labels
 * @param fixedUser      only this user, or null
 * @param fixedGroup     only members of this group, or null
 * @param taskGroup      task group id, or null
 * @param callbackUrl    where to PUT the result, or null
 * @param callbackSecret sent with the callback; required with a URL
 */
public record NewTask(String project, String template, JsonNode content, List<String> tags, String fixedUser,
                      String fixedGroup, Long taskGroup, String callbackUrl, String callbackSecret) {
    public NewTask {
        tags = List.copyOf(tags);
    }

    /** Who may do the task. */
    public Audience audience() {
        return new Audience(Optional.ofNullable(fixedUser), Optional.ofNullable(fixedGroup));
    }

    /** The subject named in the content, or null. */
    public String subject() {
        return content.hasNonNull("subject") ? content.get("subject").asText() : null;
    }

    /** The experiment named in the content, or null. */
    public String experiment() {
        return content.hasNonNull("experiment") ? content.get("experiment").asText() : null;
    }
}
