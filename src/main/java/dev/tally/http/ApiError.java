package dev.tally.http;

/**
 * A request Tally will not serve over HTTP, with the status, the parameter or field at fault and why.
 * Thrown by routes and the HTTP kit; {@link ErrorResponse} renders it in the route's error format.
 * Services and queries throw the domain's {@code Rejection} instead, which the server maps to one of these.
 */
public class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public ApiError(int status, String code, String field, String reason) {
        super(reason, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiError badRequest(String field, String reason) {
        return new ApiError(400, "invalid_parameter", field, reason);
    }

    public static ApiError unauthorized(String reason) {
        return new ApiError(401, "unauthorized", null, reason);
    }

    public static ApiError forbidden(String reason) {
        return new ApiError(403, "forbidden", null, reason);
    }

    public static ApiError notFound(String field, String reason) {
        return new ApiError(404, "not_found", field, reason);
    }

    public static ApiError conflict(String field, String reason) {
        return new ApiError(409, "conflict", field, reason);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return getMessage();
    }
}
