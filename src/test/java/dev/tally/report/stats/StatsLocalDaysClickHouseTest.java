package dev.tally.report.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.Event;
import dev.tally.store.EventStore;
import dev.tally.store.clickhouse.ClickHouseStore;
import dev.tally.store.rollup.RollupFixture;
import dev.tally.testing.ClickHouseCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ClickHouse buckets whole days by the same Java-computed local midnights: for the requests of
 * {@link StatsLocalDaysTest} (both DST changes in two hemispheres, +05:30 and +05:45), its answer
 * equals DuckDB's raw answer and Java's calendar.
 */
class StatsLocalDaysClickHouseTest {
    private static ClickHouseStore clickHouse;
    private static RollupFixture duckDb;
    private static List<Long> eventTimes;

    @BeforeAll
    static void write() {
        List<Event> events = StatsLocalDaysTest.events();
        eventTimes = events.stream().map(event -> event.timeMs).toList();
        clickHouse = ClickHouseStore.open(ClickHouseCluster.shared().newDatabase());
        assertThat(clickHouse.events().write(events)).hasSameSizeAs(events);
        duckDb = new RollupFixture(StatsLocalDaysTest.events());
    }

    @AfterAll
    static void close() {
        clickHouse.events().close();
        duckDb.close();
    }

    @ParameterizedTest(name = "granularity {0}")
    @ValueSource(longs = {86_400, 604_800})
    void wholeDayBucketsEqualDuckDbsAndTheCalendar(long granularity) {
        EventStore store = clickHouse.events();
        StatsQuery fromClickHouse = new StatsQuery(store, Long.MAX_VALUE);
        StatsQuery fromDuckDb = new StatsQuery(duckDb.raw(), Long.MAX_VALUE);
        for (StatsRequest request : StatsLocalDaysTest.requests(granularity)) {
            BucketGrid grid = request.grid();
            List<Map<String, Object>> calls = fromClickHouse.callBuckets(request, grid);
            assertThat(calls).as("calls %s", request).isEqualTo(fromDuckDb.callBuckets(request, grid));
            assertThat(fromClickHouse.usageBuckets(request, grid)).as("usage %s", request)
                    .isEqualTo(fromDuckDb.usageBuckets(request, grid));
            StatsLocalDaysTest.assertCalendar(calls, request, eventTimes);
        }
    }
}
