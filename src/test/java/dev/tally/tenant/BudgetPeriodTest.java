package dev.tally.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Periods start at local midnight in the budget's zone, whatever their length in UTC. */
class BudgetPeriodTest {

    private static String start(BudgetPeriod.Range range) {
        return Instant.ofEpochMilli(range.startMs()).toString();
    }

    private static String end(BudgetPeriod.Range range) {
        return Instant.ofEpochMilli(range.endMs()).toString();
    }

    @Test
    void aMonthInNewYorkSpansTheChangeToSummerTime() {
        BudgetPeriod.Range march = BudgetPeriod.MONTH.at(Instant.parse("2026-04-01T03:59:59Z"),
                ZoneId.of("America/New_York"));
        assertThat(start(march)).isEqualTo("2026-03-01T05:00:00Z");
        assertThat(end(march)).isEqualTo("2026-04-01T04:00:00Z");
        BudgetPeriod.Range april = BudgetPeriod.MONTH.at(Instant.parse("2026-04-01T04:00:00Z"),
                ZoneId.of("America/New_York"));
        assertThat(start(april)).isEqualTo("2026-04-01T04:00:00Z");
    }

    @Test
    void aWeekStartsOnMondayAndADayAtLocalMidnight() {
        // Sunday 2026-03-08 23:00 in Tokyo is Sunday 14:00 UTC
        BudgetPeriod.Range week = BudgetPeriod.WEEK.at(Instant.parse("2026-03-08T14:00:00Z"), ZoneId.of("Asia/Tokyo"));
        assertThat(start(week)).isEqualTo("2026-03-01T15:00:00Z");
        assertThat(end(week)).isEqualTo("2026-03-08T15:00:00Z");
        BudgetPeriod.Range day = BudgetPeriod.DAY.at(Instant.parse("2026-03-08T15:00:00Z"), ZoneId.of("Asia/Tokyo"));
        assertThat(start(day)).isEqualTo("2026-03-08T15:00:00Z");
        assertThat(end(day)).isEqualTo("2026-03-09T15:00:00Z");
    }

    @Test
    void whereMidnightIsSkippedTheDayStartsAtItsFirstInstant() {
        // Sao Paulo moved its clocks from 00:00 to 01:00 on 2018-11-04: that day is 23 hours long
        BudgetPeriod.Range day = BudgetPeriod.DAY.at(Instant.parse("2018-11-04T12:00:00Z"),
                ZoneId.of("America/Sao_Paulo"));
        assertThat(start(day)).isEqualTo("2018-11-04T03:00:00Z");
        assertThat(end(day)).isEqualTo("2018-11-05T02:00:00Z");
    }
}
