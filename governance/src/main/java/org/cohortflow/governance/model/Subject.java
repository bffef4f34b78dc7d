package org.cohortflow.governance.model;

import java.time.Instant;
import java.util.Map;

/**
 * A subject (patient, participant) of a study.
 *
 * @param id          database id
 * @param studyId     its study
 * @param label       label, unique in the study
 * @param externalIds ids in other systems (archive, PACS, EDC)
 * @param created     when
 */
public record Subject(long id, long studyId, String label, Map<String, String> externalIds, Instant created) {
    public Subject {
        externalIds = Map.copyOf(externalIds);
    }
}
