package dev.tally.report.spend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.report.DateRange;
import dev.tally.store.rollup.CallDurationBucket;
import dev.tally.store.rollup.RollupFixture;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every boundary of the spend duration histogram, one call per UTC day so each day's histogram
 * holds exactly one call, answered by the call rollup and by the raw calls table. Spec 000's labels
 * are ranges closed at the top: {@code <30s} excludes 30 s and {@code >5m} excludes 300 s.
 */
class SpendDurationBoundaryTest {
    private static final LocalDate FIRST_DAY = LocalDate.parse("2026-03-01");
    private static final long[] DURATIONS_MS = {0, 29_999, 30_000, 30_001, 59_000, 59_999, 60_000, 60_001, 61_000,
        179_999, 180_000, 180_001, 299_999, 300_000, 300_001, 301_000, 7_200_000};

    private static RollupFixture fixture;

    @BeforeAll
    static void store() {
        List<Event> calls = new ArrayList<>();
        for (int index = 0; index < DURATIONS_MS.length; index++) {
            calls.add(call("d" + index, FIRST_DAY.plusDays(index), DURATIONS_MS[index]));
        }
        fixture = new RollupFixture(calls);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    private static Event call(String id, LocalDate day, long durationMs) {
        Event call = new Event();
        call.tenantId = "acme";
        call.id = id;
        call.type = EventType.CALL;
        call.timeMs = day.toEpochDay() * 86_400_000L + 43_200_000L;
        call.status = "completed";
        call.durationMs = durationMs;
        call.endedMs = call.timeMs + durationMs;
        call.costSource = CostSource.NONE;
        return call;
    }

    @ParameterizedTest(name = "{0} ms is {1}")
    @CsvSource({
            "0, <30s", "29999, <30s", "30000, 30-60s", "30001, 30-60s", "59000, 30-60s", "59999, 30-60s",
            "60000, 30-60s", "60001, 1-3m", "61000, 1-3m", "179999, 1-3m", "180000, 1-3m", "180001, 3-5m",
            "299999, 3-5m", "300000, 3-5m", "300001, >5m", "301000, >5m", "7200000, >5m"})
    void aCallOfThisDurationIsCountedInThisBucketOnBothPaths(long durationMs, String label) {
        int index = indexOf(durationMs);
        LocalDate day = FIRST_DAY.plusDays(index);
        SpendFilters oneDay = new SpendFilters(new DateRange(day, day), null, null);
        List<Long> expected = CallDurationBucket.ALL.stream().map(bucket -> bucket.label().equals(label) ? 1L : 0L)
                .toList();
        assertThat(expected).contains(1L);
        assertThat(new SpendQuery(fixture.rollups()).spend("acme", oneDay).totals().durationBuckets()).as("rollup")
                .isEqualTo(expected);
        assertThat(new SpendQuery(fixture.raw()).spend("acme", oneDay).totals().durationBuckets()).as("raw")
                .isEqualTo(expected);
        assertThat(CallDurationBucket.of(durationMs).orElseThrow().label()).isEqualTo(label);
    }

    private static int indexOf(long durationMs) {
        for (int index = 0; index < DURATIONS_MS.length; index++) {
            if (DURATIONS_MS[index] == durationMs) {
                return index;
            }
        }
        throw new AssertionError("no call of " + durationMs + " ms in the fixture");
    }
}
