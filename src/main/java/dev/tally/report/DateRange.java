package dev.tally.report;

import dev.tally.error.Rejection;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * An inclusive range of UTC dates, as the report APIs take them ({@code YYYY-MM-DD}, both ends
 * inclusive), with the epoch-millisecond bounds the store is queried with: start inclusive, end
 * exclusive at the next UTC midnight.
 */
public record DateRange(LocalDate from, LocalDate to) {
    private static final long DAY_MS = 86_400_000L;
    /** Longer ranges are refused: they would be a full scan for an answer no one can read. */
    public static final int MAX_DAYS = 3_660;

    public static DateRange parse(String fromParameter, String fromText, LocalDate defaultFrom,
                                  String toParameter, String toText, LocalDate defaultTo) {
        LocalDate from = fromText == null || fromText.isEmpty() ? defaultFrom : date(fromParameter, fromText);
        LocalDate to = toText == null || toText.isEmpty() ? defaultTo : date(toParameter, toText);
        if (to.isBefore(from)) {
            throw Rejection.invalid(toParameter, "must not be before " + fromParameter + " (" + from + ")");
        }
        if (to.toEpochDay() - from.toEpochDay() >= MAX_DAYS) {
            throw Rejection.invalid(toParameter, "the range must be at most " + MAX_DAYS + " days");
        }
        return new DateRange(from, to);
    }

    public static LocalDate date(String parameter, String text) {
        try {
            if (text.length() != 10) {
                throw new DateTimeParseException("length", text, 0);
            }
            return LocalDate.parse(text);
        } catch (DateTimeParseException notDate) {
            throw Rejection.invalid(parameter, "must be a date in YYYY-MM-DD format, not \"" + text + "\"");
        }
    }

    /**
     * A time a report request names, within years 1900 to 9999: a year such as +999999999 parses,
     * but is no instant in milliseconds, and no usage is older or newer.
     */
    public static java.time.Instant bounded(String parameter, java.time.Instant time) {
        if (time.isBefore(EARLIEST) || !time.isBefore(LATEST)) {
            throw Rejection.invalid(parameter, "must be between the years 1900 and 9999");
        }
        return time;
    }

    private static final java.time.Instant EARLIEST = LocalDate.of(1900, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
    private static final java.time.Instant LATEST = LocalDate.of(10_000, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();

    public long startMs() {
        return from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    public long endMsExclusive() {
        return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** The epoch day of a UTC millisecond timestamp; reports bucket by it. */
    public static long epochDay(long timeMs) {
        return Math.floorDiv(timeMs, DAY_MS);
    }

    public List<LocalDate> days() {
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            days.add(day);
        }
        return days;
    }
}
