package org.cohortflow.server.auth;

/**
 * A token just created: the only moment its secret value exists outside the caller's hands.
 *
 * @param token the stored token
 * @param value the secret to send as {@code Authorization: Bearer VALUE}; shown once, stored hashed
 */
public record NewToken(ApiToken token, String value) {}
