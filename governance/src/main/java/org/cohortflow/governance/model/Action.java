package org.cohortflow.governance.model;

import java.time.Instant;

/**
 * One change of an experiment's state: its history, one row per transition.
 *
 * @param id           database id
 * @param experimentId the experiment
 * @param from         previous state ({@code null} at creation)
 * @param to           new state
 * @param kind         {@code create}, {@code auto} (a condition held) or {@code manual}
 * @param actor        the user, or {@code governor} for automatic transitions
 * @param reason       why
 * @param at           when
 */
public record Action(long id, long experimentId, String from, String to, String kind, String actor, String reason, Instant at) {}
