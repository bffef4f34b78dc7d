package org.cohortflow.server.auth;

import java.time.Instant;

/**
 * An API token as stored (its hash is never shown).
 *
 * @param id       database id
 * @param userName the user the token acts as
 * @param label    what the token is for
 * @param created  when it was made
 * @param expires  when it stops working, or {@code null}
 * @param revoked  when it was revoked, or {@code null}
 */
public record ApiToken(long id, String userName, String label, Instant created, Instant expires, Instant revoked) {}
