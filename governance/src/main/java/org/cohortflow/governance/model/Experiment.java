package org.cohortflow.governance.model;

import java.time.Instant;
import java.util.Map;

/**
 * An experiment (a visit or imaging session of a subject) and where it is in its workflow.
 *
 * @param id            database id
 * @param study         study name
 * @param subject       subject label
 * @param subjectId     subject id
 * @param label         label, unique for the subject
 * @param workflowId    the workflow (name and version) it follows
 * @param state         current state
 * @param entryActionId the action that entered the current state
 * @param enteredAt     when it entered the current state
 * @param externalIds   ids in other systems
 * @param created       when
 */
public record Experiment(long id, String study, String subject, long subjectId, String label, long workflowId,
                         String state, long entryActionId, Instant enteredAt, Map<String, String> externalIds,
                         Instant created) {
    public Experiment {
        externalIds = Map.copyOf(externalIds);
    }
}
