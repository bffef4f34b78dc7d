package org.cohortflow.monitor.runs;

import org.cohortflow.server.http.ApiError;

/** The rule for run keys: what a reporter may choose as the key of its run. */
public final class RunKeys {
    private RunKeys() {}

    /** Returns {@code key} when it is 1 to 100 letters, digits, '.', '_' or '-' (starting with a letter or digit), else 400. */
    public static String check(String key) {
        if (key == null || !key.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw ApiError.badRequest("key", "a run key is 1 to 100 letters, digits, '.', '_' or '-', found '" + key + "'");
        }
        return key;
    }
}
