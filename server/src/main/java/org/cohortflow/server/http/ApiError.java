package org.cohortflow.server.http;

/**
 * An error answered to the client as {@code {"error": message, "field": name}} with an HTTP status.
 * Throw it from a handler; {@link ServiceServer} turns it into the response.
 */
public final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String field;

    public ApiError(int status, String message, String field) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public int status() {
        return status;
    }

    /** The request field at fault, or {@code null}. */
    public String field() {
        return field;
    }

    /** 400: the field named is wrong. */
    public static ApiError badRequest(String field, String message) {
        return new ApiError(400, message, field);
    }

    /** 401: no or bad credentials. */
    public static ApiError unauthorized(String message) {
        return new ApiError(401, message, null);
    }

    /** 403: authenticated but not allowed. */
    public static ApiError forbidden(String message) {
        return new ApiError(403, message, null);
    }

    /** 404. */
    public static ApiError notFound(String message) {
        return new ApiError(404, message, null);
    }

    /** 409: the request conflicts with the current state. */
    public static ApiError conflict(String message) {
        return new ApiError(409, message, null);
    }

    /** 422: well-formed but not processable (e.g. an invalid workflow). */
    public static ApiError unprocessable(String field, String message) {
        return new ApiError(422, message, field);
    }
}
