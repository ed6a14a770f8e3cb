package dev.tally.report.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tally.bench.EventGenerator;
import dev.tally.store.rollup.LatencySketch;
import dev.tally.store.rollup.RollupFixture;
import dev.tally.store.sql.SqlBuilder;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Call statistics from the hourly rollups against the raw query, on randomized usage: every sum,
 * count, minimum, maximum and average equal, percentiles equal while exact and within 1 % when
 * read from the latency sketch. Ranges start and end anywhere (part-hours at both ends), in time
 * zones with whole-hour and half-hour offsets, and with granularities the rollups cannot serve,
 * which must fall back to the raw query and still agree.
 */
class StatsRollupTest {
    private static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("America/New_York"),
            ZoneId.of("America/Bahia_Banderas"), ZoneId.of("Asia/Kolkata"), ZoneId.of("Asia/Kathmandu"),
            ZoneId.of("Australia/Sydney"));
    private static final Long[] GRANULARITIES = {null, 3_600L, 7_200L, 21_600L, 86_400L, 1_800L, 5_400L, 172_800L,
        604_800L};
    private static final List<BigDecimal> PERCENTILES = List.of(BigDecimal.ZERO, BigDecimal.valueOf(50),
            BigDecimal.valueOf(95), new BigDecimal("99.9"), BigDecimal.valueOf(100));

    /** Rollups as written, in delta rows. */
    private static RollupFixture fixture;
    /** Rollups folded by compaction: minimums and maximums must survive it. */
    private static RollupFixture compacted;

    @BeforeAll
    static void write() {
        fixture = new RollupFixture(29, false);
        compacted = new RollupFixture(31, true);
    }

    @AfterAll
    static void close() {
        fixture.close();
        compacted.close();
    }

    @Test
    void rollupAnswersEqualRawAnswersExactly() {
        StatsQuery raw = new StatsQuery(fixture.raw(), Long.MAX_VALUE);
        StatsQuery rollups = new StatsQuery(fixture.rollups(), Long.MAX_VALUE);
        StatsFromRollups path = new StatsFromRollups(fixture.rollups(), Long.MAX_VALUE);
        SplittableRandom random = new SplittableRandom(11);
        int answeredFromRollups = 0;
        for (int question = 0; question < 60; question++) {
            StatsRequest request = randomRequest(random);
            BucketGrid grid = request.grid();
            if (path.answers(request, grid)) {
                answeredFromRollups++;
            }
            List<Map<String, Object>> expectedUsage = raw.usageBuckets(request, grid);
            assertThat(rollups.usageBuckets(request, grid)).as("usage %s", request).isEqualTo(expectedUsage);
            assertThat(rollups.callBuckets(request, grid)).as("calls %s", request)
                    .isEqualTo(raw.callBuckets(request, grid));
            if (question == 0) {
                assertThat(expectedUsage).isNotEmpty();
            }
        }
        assertThat(answeredFromRollups).as("questions the rollups answered").isGreaterThan(25);
    }

    @Test
    void sketchedPercentilesAreWithinOnePercentOfExact() {
        StatsQuery raw = new StatsQuery(compacted.raw(), Long.MAX_VALUE);
        StatsQuery sketched = new StatsQuery(compacted.rollups(), 0);
        StatsFromRollups path = new StatsFromRollups(compacted.rollups(), 0);
        SplittableRandom random = new SplittableRandom(5);
        int compared = 0;
        int inexact = 0;
        for (int question = 0; question < 60; question++) {
            StatsRequest request = randomRequest(random);
            BucketGrid grid = request.grid();
            if (!path.answers(request, grid)) {
                continue;
            }
            List<Map<String, Object>> exact = raw.callBuckets(request, grid);
            List<Map<String, Object>> estimated = sketched.callBuckets(request, grid);
            assertThat(estimated).hasSameSizeAs(exact);
            for (int bucket = 0; bucket < exact.size(); bucket++) {
                for (Map.Entry<String, Object> value : exact.get(bucket).entrySet()) {
                    Object estimate = estimated.get(bucket).get(value.getKey());
                    if (!value.getKey().startsWith("p") || value.getValue() == null) {
                        assertThat(estimate).as("%s of bucket %d in %s", value.getKey(), bucket, request)
                                .isEqualTo(value.getValue());
                        continue;
                    }
                    double truth = ((Number) value.getValue()).doubleValue();
                    assertThat(((Number) estimate).doubleValue()).as("%s of bucket %d in %s", value.getKey(), bucket,
                            request).isCloseTo(truth, within(truth * 0.01));
                    compared++;
                    if (((Number) estimate).doubleValue() != truth) {
                        inexact++;
                    }
                }
            }
        }
        assertThat(compared).as("percentiles compared").isGreaterThan(500);
        assertThat(inexact).as("percentiles that really came from the sketch").isGreaterThan(compared / 4);
    }

    /**
     * A store without rollups (ClickHouse) answers a request the way a store with them does: where
     * the rollups' percentiles come from the sketch, the raw path sketches the raw latencies, so
     * both stores give the same numbers, not merely numbers within 1 % of each other.
     */
    @Test
    void aStoreWithoutRollupsSketchesWhereTheRollupsDo() {
        StatsQuery raw = new StatsQuery(compacted.raw(), 0);
        StatsQuery rollups = new StatsQuery(compacted.rollups(), 0);
        StatsFromRollups path = new StatsFromRollups(compacted.rollups(), 0);
        SplittableRandom random = new SplittableRandom(23);
        int sketched = 0;
        for (int question = 0; question < 40; question++) {
            StatsRequest request = randomRequest(random);
            BucketGrid grid = request.grid();
            sketched += path.answers(request, grid) ? 1 : 0;
            assertThat(raw.callBuckets(request, grid)).as("calls %s", request)
                    .isEqualTo(rollups.callBuckets(request, grid));
        }
        assertThat(sketched).as("questions answered from sketches").isGreaterThan(10);
    }

    /**
     * Whole UTC days with daily buckets read the daily tables: every sum, count, minimum and maximum
     * equals the raw one, and each bucket's percentiles are exactly those of a sketch built from
     * that bucket's raw latencies, i.e. the daily rows merge to what the raw events give.
     */
    @Test
    void dailySketchesMergeToTheRawLatenciesSketch() {
        StatsQuery sketched = new StatsQuery(compacted.rollups(), 0);
        StatsQuery exactRollups = new StatsQuery(compacted.rollups(), Long.MAX_VALUE);
        StatsQuery exactRaw = new StatsQuery(compacted.raw(), Long.MAX_VALUE);
        List<MetricSpec> usage = Arrays.stream(UsageMetric.values())
                .map(metric -> new MetricSpec(metric, List.of(Aggregation.values()), List.of())).toList();
        StatsFromRollups path = new StatsFromRollups(compacted.rollups(), 0);
        long day = 86_400_000L;
        long firstDayMs = Math.floorDiv(RollupFixture.END_MS, day) * day - (RollupFixture.DAYS - 1) * day;
        List<MetricSpec> latency = List.of(new MetricSpec(CallMetric.LATENCY_MS, List.of(Aggregation.COUNT),
                List.of(BigDecimal.valueOf(50), BigDecimal.valueOf(95), BigDecimal.valueOf(99))));
        SplittableRandom random = new SplittableRandom(17);
        int compared = 0;
        for (int question = 0; question < 12; question++) {
            String tenant = EventGenerator.TENANTS[random.nextInt(EventGenerator.TENANTS.length)];
            long startMs = firstDayMs + random.nextInt(RollupFixture.DAYS / 2) * day;
            long endMs = startMs + (2 + random.nextInt(RollupFixture.DAYS / 2)) * day;
            StatsRequest request = new StatsRequest(tenant, Instant.ofEpochMilli(startMs), Instant.ofEpochMilli(endMs),
                    86_400L, ZoneId.of("UTC"), List.of(), latency, StatsFilter.NONE);
            BucketGrid grid = request.grid();
            assertThat(path.answers(request, grid)).isTrue();
            // the daily measures: every sum, count, minimum and maximum as the raw events give them
            StatsRequest everything = new StatsRequest(tenant, request.start(), request.end(), 86_400L,
                    ZoneId.of("UTC"), usage, List.of(new MetricSpec(CallMetric.LATENCY_MS, List.of(Aggregation.values()),
                    List.of()), new MetricSpec(CallMetric.ERROR_COUNT, List.of(Aggregation.values()), List.of())),
                    StatsFilter.NONE);
            assertThat(exactRollups.usageBuckets(everything, grid)).as("usage %s", everything)
                    .isEqualTo(exactRaw.usageBuckets(everything, grid));
            assertThat(exactRollups.callBuckets(everything, grid)).as("calls %s", everything)
                    .isEqualTo(exactRaw.callBuckets(everything, grid));
            List<Map<String, Object>> answer = sketched.callBuckets(request, grid);
            List<Map<Integer, Long>> rawSketches = new ArrayList<>();
            for (int bucket = 0; bucket < grid.count(); bucket++) {
                rawSketches.add(new TreeMap<>());
            }
            for (var row : compacted.raw().query(new SqlBuilder()
                    .append("SELECT time_ms, ended_ms - time_ms AS latency FROM events WHERE tenant_id = ").value(tenant)
                    .append(" AND type = 'llm' AND ended_ms IS NOT NULL AND time_ms >= ").value(startMs)
                    .append(" AND time_ms < ").value(endMs).build())) {
                int bucket = (int) ((row.longValue("time_ms") - startMs) / day);
                rawSketches.get(bucket).merge(LatencySketch.index(row.longValue("latency")), 1L,
                        Long::sum);
            }
            for (int bucket = 0; bucket < grid.count(); bucket++) {
                var counts = new TreeMap<>(rawSketches.get(bucket));
                for (String percentile : List.of("50", "95", "99")) {
                    Object value = answer.get(bucket).get("p" + percentile + "_latency_ms");
                    Double expected = LatencySketch.quantile(counts,
                            Double.parseDouble(percentile) / 100);
                    assertThat(value == null ? null : ((Number) value).doubleValue())
                            .as("p%s of bucket %d in %s", percentile, bucket, request).isEqualTo(expected);
                    compared += expected == null ? 0 : 1;
                }
            }
        }
        assertThat(compared).as("percentiles compared").isGreaterThan(100);
    }

    private static StatsRequest randomRequest(SplittableRandom random) {
        long hour = StatsFromRollups.HOUR_MS;
        long firstMs = RollupFixture.END_MS - RollupFixture.DAYS * 86_400_000L;
        long startMs = firstMs - 86_400_000L + random.nextLong(RollupFixture.DAYS * 86_400_000L);
        if (random.nextBoolean()) {
            startMs -= Math.floorMod(startMs, hour);
        }
        long maxRangeMs = (random.nextInt(4) == 0 ? 31 : 1 + random.nextInt(6)) * 86_400_000L;
        long endMs = startMs + 1 + random.nextLong(maxRangeMs);
        if (random.nextBoolean()) {
            endMs -= Math.floorMod(endMs, hour);
        }
        endMs = Math.max(endMs, startMs + 1);
        ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
        long granularity = Granularity.resolve(GRANULARITIES[random.nextInt(GRANULARITIES.length)], endMs - startMs);
        List<MetricSpec> usage = Arrays.stream(UsageMetric.values())
                .filter(metric -> random.nextInt(3) > 0)
                .map(metric -> new MetricSpec(metric, List.of(Aggregation.values()), List.of()))
                .toList();
        List<MetricSpec> calls = List.of(
                new MetricSpec(CallMetric.LATENCY_MS, List.of(Aggregation.values()), PERCENTILES),
                new MetricSpec(CallMetric.CALL_COUNT, List.of(Aggregation.values()), List.of()),
                new MetricSpec(CallMetric.ERROR_COUNT, List.of(Aggregation.values()), List.of()));
        String tenant = EventGenerator.TENANTS[random.nextInt(EventGenerator.TENANTS.length)];
        return new StatsRequest(tenant, Instant.ofEpochMilli(startMs), Instant.ofEpochMilli(endMs), granularity, zone,
                usage, calls, StatsFilter.NONE);
    }
}
