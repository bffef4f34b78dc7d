package org.cohortflow.governance.model;

import java.time.Instant;

/**
 * A study (cohort): its subjects' experiments move through the study's workflow.
 *
 * @param id          database id
 * @param name        unique name
 * @param description free text
 * @param workflowId  the workflow new experiments start in, or {@code null}
 * @param created     when
 */
public record Study(long id, String name, String description, Long workflowId, Instant created) {}
