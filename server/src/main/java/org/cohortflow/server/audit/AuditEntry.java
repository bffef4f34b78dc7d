package org.cohortflow.server.audit;

import java.time.Instant;

/**
 * One line of the audit log.
 *
 * @param id      position in the log
 * @param at      when
 * @param actor   who (user name, or {@code callback:ID}, {@code system})
 * @param action  what, as a dotted verb ({@code user.create}, {@code experiment.transition})
 * @param target  on what ({@code user/alice}, {@code experiment/42})
 * @param details why and how, free text or JSON
 */
public record AuditEntry(long id, Instant at, String actor, String action, String target, String details) {}
