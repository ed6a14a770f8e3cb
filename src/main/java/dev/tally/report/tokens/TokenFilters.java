package dev.tally.report.tokens;

import dev.tally.error.Rejection;
import dev.tally.report.DateRange;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The token report's query parameters, checked: a half-open instant range {@code [start, end)}
 * (default the 30 days before now), and optionally one user's email and one tenant.
 *
 * @param userEmail null for every user
 * @param tenantId null for every tenant (the platform view)
 */
record TokenFilters(Instant start, Instant end, String userEmail, String tenantId) {
    static final Duration DEFAULT_SPAN = Duration.ofDays(30);
    private static final int MAX_TEXT_LENGTH = 256;

    static TokenFilters parse(Context context, Instant now) {
        Instant end = instant("end_date", context.queryParam("end_date"), now);
        Instant start = instant("start_date", context.queryParam("start_date"), now.minus(DEFAULT_SPAN));
        if (end.isBefore(start)) {
            throw Rejection.invalid("end_date", "must not be before start_date (" + start + ")");
        }
        return new TokenFilters(start, end, text("user_email", context.queryParam("user_email")),
                text("tenant_id", context.queryParam("tenant_id")));
    }

    /**
     * ISO 8601: a date-time with an offset or {@code Z}, a date-time without one (read as UTC), or a
     * bare date (UTC midnight).
     */
    static Instant instant(String parameter, String text, Instant absent) {
        if (text == null || text.isEmpty()) {
            return absent;
        }
        // An unencoded "+02:00" in a query string arrives as " 02:00"; the date part never holds a space.
        String given = text.length() > 10 ? text.substring(0, 11) + text.substring(11).replace(' ', '+') : text;
        try {
            return DateRange.bounded(parameter, OffsetDateTime.parse(given).toInstant());
        } catch (DateTimeParseException notOffsetDateTime) {
            // next form
        }
        try {
            return DateRange.bounded(parameter, LocalDateTime.parse(given).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException notLocalDateTime) {
            // next form
        }
        try {
            if (given.length() == 10) {
                return LocalDate.parse(given).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
        } catch (DateTimeParseException notDate) {
            // falls through to the error
        }
        throw Rejection.invalid(parameter, "must be an ISO 8601 date-time such as 2026-03-01T00:00:00Z"
                + " or a date such as 2026-03-01, not \"" + text + "\"");
    }

    private static String text(String parameter, String text) {
        if (text == null) {
            return null;
        }
        if (text.isBlank()) {
            throw Rejection.invalid(parameter, "must not be blank; omit it for all");
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw Rejection.invalid(parameter, "must be at most " + MAX_TEXT_LENGTH + " characters");
        }
        return text;
    }
}
