package org.cohortflow.dsl.plan;

import java.util.Optional;

/**
 * The rule for sample ids. Ids come from users (sample sheets, file names, archive queries) and end up
 * in paths (run folders, sink targets), so an id that could name another folder or break a line is
 * refused where it enters rather than encoded: a user sees the id they gave in every output name.
 *
 * <p>An id is refused when it is empty, is {@code .} or {@code ..}, contains a path separator
 * ({@code /} or {@code \}), a control character (newline, tab, NUL, DEL, ...), or is longer than
 * {@link #MAX_LENGTH} characters (most file systems refuse longer names).
 */
public final class SampleIds {
    /** Longest id accepted; file systems commonly limit a name to 255 bytes. */
    public static final int MAX_LENGTH = 200;

    private SampleIds() {}

    /** Why {@code id} is not a valid sample id, or empty when it is. */
    public static Optional<String> problem(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of("a sample id must not be empty");
        }
        if (id.equals(".") || id.equals("..")) {
            return Optional.of("sample id '" + id + "' is not allowed: it names a folder");
        }
        if (id.length() > MAX_LENGTH) {
            return Optional.of("sample id '" + id.substring(0, 20) + "...' is " + id.length()
                    + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '/' || c == '\\') {
                return Optional.of("sample id '" + id + "' contains a path separator '" + c + "'");
            }
            if (Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                return Optional.of("sample id " + quoted(id) + " contains a control character (U+"
                        + String.format("%04X", (int) c) + ") at position " + (i + 1));
            }
        }
        return Optional.empty();
    }

    /** Throws {@link IllegalArgumentException} with {@code where} in front of the reason when {@code id} is invalid. */
    public static String require(String id, String where) {
        problem(id).ifPresent(p -> {
            throw new IllegalArgumentException(where + ": " + p);
        });
        return id;
    }

    /** The id with control characters shown as escapes, for messages. */
    public static String quoted(String id) {
        StringBuilder sb = new StringBuilder("'");
        for (char c : id.toCharArray()) {
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }
}
