package org.cohortflow.server.http;

/**
 * Thrown by a request record's constructor when one of its fields is invalid, so that the 400 answer
 * names the field.
 */
public final class InvalidFieldException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** Requires a non-blank text field. */
    public static String requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidFieldException(field, "'" + field + "' is required");
        }
        return value;
    }

    /** Requires a non-null field. */
    public static <T> T require(T value, String field) {
        if (value == null) {
            throw new InvalidFieldException(field, "'" + field + "' is required");
        }
        return value;
    }
}
