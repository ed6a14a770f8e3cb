package dev.tally.http;

/**
 * How a route words its errors. Tally's own endpoints use {@link #TALLY}; the endpoints that mirror
 * another product answer errors in that product's shape, so existing clients parse them.
 */
public enum ErrorStyle {
    /** {@code {"error": code, "field": …, "reason": …, "message": …}} */
    TALLY,
    /** {@code {"success": false, "message": …}} — the super-admin analytics API (spec 001). */
    SUCCESS_ENVELOPE,
    /** {@code {"detail": …}} — the call statistics API (spec 003). */
    DETAIL;

    public static final String ATTRIBUTE = "tally.error-style";
}
