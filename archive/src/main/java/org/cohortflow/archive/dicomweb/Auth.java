package org.cohortflow.archive.dicomweb;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** How a client proves who it is to an archive: nothing, HTTP basic authentication or a bearer token. */
public sealed interface Auth {
    /** The {@code Authorization} header value, if any. */
    Optional<String> header();

    /** No authentication. */
    record None() implements Auth {
        @Override
        public Optional<String> header() {
            return Optional.empty();
        }
    }

    /** HTTP basic authentication. */
    record Basic(String user, String password) implements Auth {
        @Override
        public Optional<String> header() {
            return Optional.of("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public String toString() {
            return "Basic[user=" + user + "]"; // never the password in logs
        }
    }

    /** An OAuth2 / OpenID Connect bearer token. */
    record Bearer(String token) implements Auth {
        @Override
        public Optional<String> header() {
            return Optional.of("Bearer " + token);
        }

        @Override
        public String toString() {
            return "Bearer[***]";
        }
    }

    static Auth none() {
        return new None();
    }

    static Auth basic(String user, String password) {
        return new Basic(user, password);
    }

    static Auth bearer(String token) {
        return new Bearer(token);
    }
}
