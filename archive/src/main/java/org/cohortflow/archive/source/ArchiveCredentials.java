package org.cohortflow.archive.source;

import java.util.Map;
import org.cohortflow.archive.dicomweb.Auth;

/**
 * Where the credentials of an archive come from when a pipeline or the CLI names it by URI (URIs never carry
 * secrets): settings (the {@code --hadoop KEY=VALUE} map a run passes to its executors) or, failing that, the
 * environment. A token wins over a user and password.
 *
 * <ul>
 *   <li>{@code cohortflow.archive.token} / {@code COHORTFLOW_ARCHIVE_TOKEN}: a bearer token;</li>
 *   <li>{@code cohortflow.archive.user} + {@code cohortflow.archive.password} /
 *       {@code COHORTFLOW_ARCHIVE_USER} + {@code COHORTFLOW_ARCHIVE_PASSWORD}: HTTP basic authentication.</li>
 * </ul>
 */
public final class ArchiveCredentials {
    public static final String TOKEN = "cohortflow.archive.token";
    public static final String USER = "cohortflow.archive.user";
    public static final String PASSWORD = "cohortflow.archive.password";

    private ArchiveCredentials() {
    }

    /** The authentication {@code settings} (then {@code environment}) describe; {@link Auth.None} when neither says anything. */
    public static Auth resolve(Map<String, String> settings, Map<String, String> environment) {
        String token = first(settings.get(TOKEN), environment.get("COHORTFLOW_ARCHIVE_TOKEN"));
        if (token != null) return Auth.bearer(token);
        String user = first(settings.get(USER), environment.get("COHORTFLOW_ARCHIVE_USER"));
        if (user == null) return Auth.none();
        String password = first(settings.get(PASSWORD), environment.get("COHORTFLOW_ARCHIVE_PASSWORD"));
        return Auth.basic(user, password == null ? "" : password);
    }

    /** {@link #resolve} with settings looked up by key (null when unset) and this process's environment. */
    public static Auth resolve(java.util.function.Function<String, String> settings) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String k : new String[] {TOKEN, USER, PASSWORD}) {
            String v = settings.apply(k);
            if (v != null) m.put(k, v);
        }
        return resolve(m, System.getenv());
    }

    /** {@link #resolve} with this process's environment. */
    public static Auth resolve(Map<String, String> settings) {
        return resolve(settings, System.getenv());
    }

    private static String first(String a, String b) {
        if (a != null && !a.isEmpty()) return a;
        return b != null && !b.isEmpty() ? b : null;
    }
}
