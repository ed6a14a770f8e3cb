package dev.tally.report.usage;

import dev.tally.report.DateRange;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/** The reports' date parameters and their defaults, which follow the server clock in UTC whatever the host's zone. */
final class UsageDates {
    static final String START = "start_date";
    static final String END = "end_date";

    private UsageDates() {
    }

    static LocalDate today(Clock clock) {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    static LocalDate monthStart(Clock clock) {
        return today(clock).withDayOfMonth(1);
    }

    static LocalDate monthEnd(Clock clock) {
        return today(clock).with(TemporalAdjusters.lastDayOfMonth());
    }

    static DateRange parse(Context context, LocalDate defaultStart, LocalDate defaultEnd) {
        return DateRange.parse(START, context.queryParam(START), defaultStart,
                END, context.queryParam(END), defaultEnd);
    }
}
