package dev.tally.report.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.store.rollup.RollupFixture;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Buckets of whole days follow local midnight in the request's time zone across both daylight
 * saving changes of 2026, in the northern (New York) and southern (Sydney, Santiago, whose change
 * happens at midnight) hemispheres, and in the +05:30 and +05:45 zones, whose midnights are not on a
 * UTC hour. For every request the rollup path and the raw path give the same answer, and each
 * bucket's start and event count equal what Java's calendar gives for the events written.
 */
class StatsLocalDaysTest {
    private static final String TENANT = "acme";
    private static final List<String> ZONES = List.of("America/New_York", "Australia/Sydney", "America/Santiago",
            "Asia/Kolkata", "Asia/Kathmandu", "UTC");
    private static final List<String> WHOLE_HOUR_ZONES = List.of("America/New_York", "Australia/Sydney",
            "America/Santiago", "UTC");

    private static RollupFixture fixture;

    @BeforeAll
    static void write() {
        fixture = new RollupFixture(events());
    }

    /** LLM events around each anchor of every zone, and on each local midnight and the millisecond before. */
    static List<Event> events() {
        TreeSet<Long> times = new TreeSet<>();
        for (String zoneName : ZONES) {
            ZoneId zone = ZoneId.of(zoneName);
            for (LocalDate anchor : anchors(zone)) {
                long fromMs = anchor.minusDays(5).atStartOfDay(zone).toInstant().toEpochMilli();
                long toMs = anchor.plusDays(7).atStartOfDay(zone).toInstant().toEpochMilli();
                // every 23 min 7 s, so events fall at every minute of the hour over the days
                for (long time = fromMs; time < toMs; time += 1_387_000) {
                    times.add(time);
                }
                for (LocalDate day = anchor.minusDays(5); day.isBefore(anchor.plusDays(7)); day = day.plusDays(1)) {
                    long midnight = day.atStartOfDay(zone).toInstant().toEpochMilli();
                    times.add(midnight);
                    times.add(midnight - 1);
                }
            }
        }
        List<Event> events = new ArrayList<>();
        for (long time : times) {
            events.add(llm("local-" + events.size(), time, events.size()));
        }
        return events;
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    /** Each daylight-saving change of 2026 in the zone, or one ordinary Sunday in a zone without any. */
    static List<LocalDate> anchors(ZoneId zone) {
        List<LocalDate> anchors = new ArrayList<>();
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        ZoneOffsetTransition transition = zone.getRules().nextTransition(from);
        while (transition != null && transition.getInstant().isBefore(Instant.parse("2027-01-01T00:00:00Z"))) {
            anchors.add(transition.getInstant().atZone(zone).toLocalDate());
            transition = zone.getRules().nextTransition(transition.getInstant());
        }
        if (anchors.isEmpty()) {
            anchors.add(LocalDate.parse("2026-03-08"));
        }
        return anchors;
    }

    private static Event llm(String id, long timeMs, int index) {
        Event event = new Event();
        event.tenantId = TENANT;
        event.id = id;
        event.type = EventType.LLM;
        event.timeMs = timeMs;
        event.provider = "openai";
        event.model = index % 3 == 0 ? "model-a" : "model-b";
        event.inputTokens = 10 + index % 997;
        event.outputTokens = index % 13;
        event.endedMs = timeMs + 50 + (index * 7_919L) % 4_000;
        event.exception = index % 11 == 0 ? "timeout" : null;
        event.costSource = CostSource.NONE;
        return event;
    }

    /** From a local midnight or mid-morning three days before each anchor, to a local midnight or a part-hour after it. */
    static List<StatsRequest> requests(long granularity) {
        List<StatsRequest> requests = new ArrayList<>();
        for (String zoneName : ZONES) {
            ZoneId zone = ZoneId.of(zoneName);
            for (LocalDate anchor : anchors(zone)) {
                for (boolean exactDays : new boolean[] {true, false}) {
                    Instant start = anchor.minusDays(3).atStartOfDay(zone).toInstant()
                            .plus(exactDays ? 0 : 617, ChronoUnit.MINUTES);
                    Instant end = anchor.plusDays(4).atStartOfDay(zone).toInstant()
                            .plus(exactDays ? 0 : 95, ChronoUnit.MINUTES);
                    requests.add(request(start, end, granularity, zone));
                }
            }
        }
        return requests;
    }

    @ParameterizedTest(name = "granularity {0}")
    @ValueSource(longs = {86_400, 172_800, 604_800})
    void wholeDayBucketsStartAtLocalMidnightOnBothPaths(long granularity) {
        StatsQuery raw = new StatsQuery(fixture.raw(), Long.MAX_VALUE);
        StatsQuery rollups = new StatsQuery(fixture.rollups(), Long.MAX_VALUE);
        StatsFromRollups rollupPath = new StatsFromRollups(fixture.rollups(), Long.MAX_VALUE);
        List<Long> times = events().stream().map(event -> event.timeMs).toList();
        List<StatsRequest> requests = requests(granularity);
        int fromRollups = 0;
        for (StatsRequest request : requests) {
            BucketGrid grid = request.grid();
            boolean rollupsAnswer = rollupPath.answers(request, grid);
            fromRollups += rollupsAnswer ? 1 : 0;
            if (!WHOLE_HOUR_ZONES.contains(request.zone().getId())) {
                assertThat(rollupsAnswer).as("local midnights off the UTC hour in %s", request.zone()).isFalse();
            }
            List<Map<String, Object>> calls = raw.callBuckets(request, grid);
            assertThat(rollups.callBuckets(request, grid)).as("calls %s", request).isEqualTo(calls);
            assertThat(rollups.usageBuckets(request, grid)).as("usage %s", request)
                    .isEqualTo(raw.usageBuckets(request, grid));
            assertCalendar(calls, request, times);
        }
        assertThat(fromRollups).as("requests the rollups answered").isGreaterThan(requests.size() / 3);
    }

    /** Bucket i starts at the local midnight i × days after the start's day and counts the events of its days. */
    static void assertCalendar(List<Map<String, Object>> buckets, StatsRequest request, List<Long> eventTimes) {
        Instant start = request.start();
        Instant end = request.end();
        long days = request.granularitySeconds() / 86_400;
        ZoneId zone = request.zone();
        LocalDate firstDay = start.atZone(zone).toLocalDate();
        List<String> expectedStarts = new ArrayList<>();
        List<Long> expectedCounts = new ArrayList<>();
        for (int bucket = 0; ; bucket++) {
            Instant bucketStart = firstDay.plusDays(bucket * days).atStartOfDay(zone).toInstant();
            if (!bucketStart.isBefore(end)) {
                break;
            }
            expectedStarts.add(bucketStart.toString());
            Instant bucketEnd = firstDay.plusDays((bucket + 1) * days).atStartOfDay(zone).toInstant();
            long from = Math.max(bucketStart.toEpochMilli(), start.toEpochMilli());
            long to = Math.min(bucketEnd.toEpochMilli(), end.toEpochMilli());
            expectedCounts.add(eventTimes.stream().filter(time -> time >= from && time < to).count());
        }
        assertThat(buckets.stream().map(bucket -> bucket.get("timestamp")).toList()).isEqualTo(expectedStarts);
        assertThat(buckets.stream().map(bucket -> ((Number) bucket.get("count")).longValue()).toList())
                .as("events per local day from %s in %s", start, zone).isEqualTo(expectedCounts);
        assertThat(expectedCounts).allMatch(count -> count > 0);
        for (int bucket = 0; bucket < expectedStarts.size(); bucket++) {
            Instant bucketStart = Instant.parse(expectedStarts.get(bucket));
            assertThat(bucketStart.atZone(zone).toLocalTime().getHour()).as("local hour of %s", bucketStart)
                    .isLessThanOrEqualTo(1);
        }
    }

    private static StatsRequest request(Instant start, Instant end, long granularity, ZoneId zone) {
        List<MetricSpec> usage = Arrays.stream(UsageMetric.values())
                .map(metric -> new MetricSpec(metric, List.of(Aggregation.values()), List.of())).toList();
        List<MetricSpec> calls = List.of(
                new MetricSpec(CallMetric.LATENCY_MS, List.of(Aggregation.values()),
                        List.of(BigDecimal.valueOf(50), BigDecimal.valueOf(95))),
                new MetricSpec(CallMetric.CALL_COUNT, List.of(Aggregation.values()), List.of()),
                new MetricSpec(CallMetric.ERROR_COUNT, List.of(Aggregation.values()), List.of()));
        return new StatsRequest(TENANT, start, end, granularity, zone, usage, calls, StatsFilter.NONE);
    }
}
