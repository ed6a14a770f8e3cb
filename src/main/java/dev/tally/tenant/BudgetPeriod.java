package dev.tally.tenant;

import dev.tally.text.WireName;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;

/**
 * The calendar period a budget resets on, in the budget's own time zone: a day, an ISO week
 * (Monday to Monday) or a month starts at local midnight, whatever its length in UTC.
 */
public enum BudgetPeriod implements WireName {
    DAY("day"),
    WEEK("week"),
    MONTH("month");

    /** One period: {@code [startMs, endMs)}. */
    public record Range(long startMs, long endMs) {
    }

    private final String wireName;

    BudgetPeriod(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    /** The period holding {@code instant}, in {@code zone}. */
    public Range at(Instant instant, ZoneId zone) {
        LocalDate day = instant.atZone(zone).toLocalDate();
        LocalDate first = switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
        LocalDate next = switch (this) {
            case DAY -> first.plusDays(1);
            case WEEK -> first.plusWeeks(1);
            case MONTH -> first.plusMonths(1);
        };
        // atStartOfDay, not LocalTime.MIDNIGHT: where a zone skips midnight, the day starts at the first instant it has
        return new Range(first.atStartOfDay(zone).toInstant().toEpochMilli(),
                next.atStartOfDay(zone).toInstant().toEpochMilli());
    }

    public static Optional<BudgetPeriod> fromWire(String name) {
        return WireName.find(values(), name);
    }
}
