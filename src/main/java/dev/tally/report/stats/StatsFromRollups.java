package dev.tally.report.stats;

import dev.tally.concurrent.Beside;
import dev.tally.store.ReportStore;
import dev.tally.store.rollup.LatencySketch;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.store.sql.SqlDialect;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Answers a statistics request from the hourly llm rollups, so its cost follows the hours and
 * buckets it covers, not the events in them.
 *
 * <p>The range splits in three: the whole hours in the middle come from
 * {@link Rollups#LLM_BY_HOUR}; the part-hours at either end (a start of 06:17) from the raw events,
 * which are few. That needs every bucket edge on a whole hour: an origin on the hour and a
 * granularity of whole hours, or local midnights on the hour (any time zone with a whole-hour
 * offset; not Kolkata's +05:30 or Kathmandu's +05:45, whose requests the raw query answers). Anything else, a filter, or a
 * percentile of anything but latency goes to the raw query, which answers everything.
 *
 * <p>Sums, counts, minimums, maximums and averages are exact. Latency percentiles are exact
 * ({@code quantile_cont} over the raw events) while the range holds at most
 * {@link #EXACT_PERCENTILE_LIMIT} latencies, where that costs little; above, they come from the
 * {@link LatencySketch} rows of {@link Rollups#LLM_LATENCY}, within 1 % of the exact value. Whole
 * UTC days of a request whose buckets are whole UTC days read the daily tables instead
 * ({@link Rollups#LLM_BY_DAY}, {@link Rollups#LLM_LATENCY_BY_DAY}), which merge to the same values.
 */
final class StatsFromRollups {
    static final long HOUR_MS = RollupTable.Grain.HOUR.milliseconds();
    private static final long DAY_MS = RollupTable.Grain.DAY.milliseconds();
    static final long EXACT_PERCENTILE_LIMIT = 20_000;
    /** Names a measure combined over slots apart from the slots' column of the same measure. */
    private static final String COMBINED = "_combined";

    private static final List<RollupTable.Measure> MEASURES = Rollups.LLM_BY_HOUR.measures();
    /** The measures' column names, made once: a name built per row and measure is hashed anew each time. */
    private static final String[] MEASURE_NAMES = MEASURES.stream().map(RollupTable.Measure::name).toArray(String[]::new);
    private static final String[] COMBINED_NAMES = MEASURES.stream().map(measure -> measure.name() + COMBINED)
            .toArray(String[]::new);

    private final ReportStore store;
    private final long exactPercentileLimit;

    StatsFromRollups(ReportStore store, long exactPercentileLimit) {
        this.store = store;
        this.exactPercentileLimit = exactPercentileLimit;
    }

    /**
     * Whether this path answers the request (see the class comment): then its latency percentiles
     * come from the sketch above {@link #EXACT_PERCENTILE_LIMIT} latencies, on every store, since
     * a store without the latency rollup derives the same sketch from its raw rows.
     */
    boolean answers(StatsRequest request, BucketGrid grid) {
        if (!request.filter().equals(StatsFilter.NONE)
                || !grid.edgesOnMultiplesOf(HOUR_MS)
                || firstWholeHour(request) >= lastWholeHour(request)) {
            return false;
        }
        for (MetricSpec spec : request.usageMetrics()) {
            if (!spec.percentiles().isEmpty()) {
                return false;
            }
        }
        for (MetricSpec spec : request.callMetrics()) {
            if (!spec.percentiles().isEmpty() && spec.metric() != CallMetric.LATENCY_MS) {
                return false;
            }
        }
        return true;
    }

    /** The same answer as the raw query's: per bucket and model, for every model with events. */
    List<Map<String, Object>> usageBuckets(StatsRequest request, BucketGrid grid) {
        Map<String, long[]> totals = totals(request, grid, true);
        TreeSet<String> models = new TreeSet<>();
        totals.keySet().forEach(key -> models.add(key.substring(key.indexOf('\n') + 1)));
        if ((long) grid.count() * models.size() > StatsQuery.MAX_USAGE_BUCKETS) {
            throw StatsQuery.tooManyBuckets(grid, models.size());
        }
        Map<String, Measure> measures = measures(request.usageMetrics());
        List<Map<String, Object>> buckets = new ArrayList<>();
        for (int index = 0; index < grid.count(); index++) {
            for (String model : models) {
                Map<String, Object> bucket = new LinkedHashMap<>();
                bucket.put("timestamp", grid.bucketStart(index).toString());
                bucket.put("model", model);
                long[] values = totals.get(index + "\n" + model);
                measures.forEach((key, measure) -> bucket.put(key, aggregate(measure, values)));
                bucket.put("count", values == null ? 0L : values[0]);
                buckets.add(bucket);
            }
        }
        return buckets;
    }

    /** Per bucket, every bucket of the range. */
    List<Map<String, Object>> callBuckets(StatsRequest request, BucketGrid grid) {
        Map<String, Measure> measures = measures(request.callMetrics());
        List<Measure> asked = measures.values().stream().filter(measure -> measure.percentile() != null).toList();
        // read beside the totals, which say whether the sketch or the exact values answer: the
        // sketch is what a long range needs, and a short one's sketch is small
        Supplier<Map<Long, LatencySketch.Counts>> sketches = asked.isEmpty() ? null
                : Beside.start(() -> sketches(request, grid));
        Map<String, long[]> totals = totals(request, grid, false);
        Map<Long, Map<String, Object>> percentiles = asked.isEmpty() ? Map.of()
                : percentiles(request, grid, asked, totals, sketches);
        List<Map<String, Object>> buckets = new ArrayList<>();
        for (int index = 0; index < grid.count(); index++) {
            Map<String, Object> bucket = new LinkedHashMap<>();
            bucket.put("timestamp", grid.bucketStart(index).toString());
            long[] values = totals.get(String.valueOf(index));
            Map<String, Object> bucketPercentiles = percentiles.getOrDefault((long) index, Map.of());
            measures.forEach((key, measure) -> bucket.put(key, measure.aggregation() == null
                    ? bucketPercentiles.get(key) : aggregate(measure, values)));
            bucket.put("count", values == null ? 0L : values[0]);
            buckets.add(bucket);
        }
        return buckets;
    }

    private static Map<String, Measure> measures(List<MetricSpec> specs) {
        Map<String, Measure> measures = new LinkedHashMap<>();
        for (MetricSpec spec : specs) {
            for (Measure measure : spec.measures()) {
                measures.putIfAbsent(measure.key(), measure);
            }
        }
        return measures;
    }

    // ---- sums, counts, minimums and maximums -------------------------------------------------

    /**
     * The measures of the llm tables, combined per bucket (and model): the whole UTC days from
     * {@link Rollups#LLM_BY_DAY} where the buckets allow, the other whole hours from
     * {@link Rollups#LLM_BY_HOUR}, merged with the same measures computed from the raw events of the
     * part-hours.
     * Keys are {@code "<bucket>"} or {@code "<bucket>\n<model>"}.
     */
    private Map<String, long[]> totals(StatsRequest request, BucketGrid grid, boolean byModel) {
        Map<String, long[]> totals = new HashMap<>();
        SqlDialect dialect = store.dialect();
        // only the columns the request needs: aggregating all forty costs several times one
        List<RollupTable.Measure> needed = MEASURES.stream()
                .filter(measure -> needed(byModel ? request.usageMetrics() : request.callMetrics(), measure.name()))
                .toList();
        wholeSlots(request, grid, Rollups.LLM_BY_DAY, Rollups.LLM_BY_HOUR,
                (table, fromMs, toMs) -> addTotals(totals, table, request, grid, byModel, needed, fromMs, toMs));

        for (long[] edge : edges(request)) {
            SqlBuilder edges = new SqlBuilder().append("SELECT bucket" + (byModel ? ", model" : "")
                    + ", count(*) AS events, sum(error) AS errors");
            for (String metric : rawExpressions().keySet()) {
                String value = "value_" + metric;
                if (metric.equals(CallMetric.LATENCY_MS.wireName())) {
                    edges.append(", count(" + value + ") AS " + metric + "_count");
                }
                edges.append(", sum(" + value + ") AS " + metric + "_sum, min(" + value + ") AS " + metric
                        + "_min, max(" + value + ") AS " + metric + "_max, sum(CASE WHEN " + value
                        + " = 0 THEN 1 ELSE 0 END) AS " + metric + "_zeros");
            }
            edges.append(" FROM (SELECT ");
            grid.appendBucket(edges, "time_ms", dialect);
            edges.append(" AS bucket, model, " + CallMetric.ERROR_COUNT.sqlExpression() + " AS error");
            rawExpressions().forEach((metric, expression) -> edges.append(", " + expression + " AS value_" + metric));
            edges.append(" FROM " + store.rows(RawTable.EVENTS));
            whereLlm(edges, request, edge).append(") AS edge_events GROUP BY bucket" + (byModel ? ", model" : ""));
            merge(totals, store.query(edges.build()), byModel, "");
        }
        return totals;
    }

    /**
     * Whether a rollup column serves the requested metrics: the event and latency counts always
     * (the bucket count, the choice between exact and sketched percentiles), otherwise a metric's
     * columns when the metric is asked for. {@code call_count} and {@code error_count} are read
     * from {@code events} and {@code errors}.
     */
    /** Merges the measures of one llm table's slots in {@code [fromMs, toMs)} into the totals. */
    private void addTotals(Map<String, long[]> totals, RollupTable table, StatsRequest request, BucketGrid grid,
                           boolean byModel, List<RollupTable.Measure> needed, long fromMs, long toMs) {
        if (fromMs >= toMs) {
            return;
        }
        String slot = table.grain().column();
        long slotMs = table.grain().milliseconds();
        SqlBuilder rollup = new SqlBuilder().append("SELECT bucket" + (byModel ? ", model" : ""));
        needed.forEach(measure -> rollup.append(", " + store.dialect().signedInteger(combined(measure)) + " AS "
                + measure.name() + COMBINED));
        rollup.append(" FROM (SELECT ");
        grid.appendBucket(rollup, slot + " * " + slotMs, store.dialect());
        rollup.append(" AS bucket, model");
        needed.forEach(measure -> rollup.append(", " + measure.name()));
        RollupRead read = RollupRead.of(table, request.tenantId(), fromMs, toMs)
                .measures(needed.stream().map(RollupTable.Measure::name).toArray(String[]::new));
        rollup.append(" FROM ").append(store.rollup(read))
                .append(" AS slot_rows) AS slots GROUP BY bucket" + (byModel ? ", model" : ""));
        merge(totals, store.query(rollup.build()), byModel, COMBINED);
    }

    /** Reads the slots {@code [fromMs, toMs)} of one rollup table into what is being added up. */
    private interface SlotReader {
        void read(RollupTable table, long fromMs, long toMs);
    }

    /**
     * Hands the request's whole hours to {@code reader}: the whole UTC days among them from the
     * daily table when every bucket edge is on a UTC midnight (so a day lies in one bucket), the
     * hours around them, or all of them otherwise, from the hourly table.
     */
    private static void wholeSlots(StatsRequest request, BucketGrid grid, RollupTable daily, RollupTable hourly,
                                   SlotReader reader) {
        long fromMs = firstWholeHour(request);
        long toMs = lastWholeHour(request);
        long firstDayMs = Math.floorDiv(fromMs + DAY_MS - 1, DAY_MS) * DAY_MS;
        long lastDayMs = Math.floorDiv(toMs, DAY_MS) * DAY_MS;
        if (!grid.edgesOnMultiplesOf(DAY_MS) || firstDayMs >= lastDayMs) {
            reader.read(hourly, fromMs, toMs);
            return;
        }
        reader.read(daily, firstDayMs, lastDayMs);
        reader.read(hourly, fromMs, firstDayMs);
        reader.read(hourly, lastDayMs, toMs);
    }

    private static boolean needed(List<MetricSpec> specs, String column) {
        if (column.equals("events") || column.equals("latency_ms_count")) {
            return true;
        }
        for (MetricSpec spec : specs) {
            String metric = spec.metric().wireName();
            if (column.startsWith(metric + "_") || (spec.metric() == CallMetric.ERROR_COUNT && column.equals("errors"))) {
                return true;
            }
        }
        return false;
    }

    /** The metric of every {@code <metric>_…} measure, and its value on one raw llm event. */
    private static Map<String, String> rawExpressions() {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (UsageMetric metric : UsageMetric.values()) {
            expressions.put(metric.wireName(), metric.sqlExpression());
        }
        expressions.put(CallMetric.LATENCY_MS.wireName(), CallMetric.LATENCY_MS.sqlExpression());
        return expressions;
    }

    /** @param suffix what the rows' column names add to the measures' names */
    private static void merge(Map<String, long[]> totals, List<Row> rows, boolean byModel, String suffix) {
        for (Row row : rows) {
            String key = row.longValue("bucket") + (byModel ? "\n" + row.string("model") : "");
            long[] values = totals.computeIfAbsent(key, any -> Rollups.LLM_BY_HOUR.identities());
            String[] columns = suffix.isEmpty() ? MEASURE_NAMES : COMBINED_NAMES;
            for (int index = 0; index < MEASURES.size(); index++) {
                RollupTable.Measure measure = MEASURES.get(index);
                // a column not selected, or a minimum, maximum or sum over no values: nothing to combine
                Object stored = row.asMap().get(columns[index]);
                if (stored == null) {
                    continue;
                }
                long value = stored instanceof Long whole ? whole : row.longValue(columns[index]);
                values[index] = switch (measure.combine()) {
                    case SUM -> values[index] + value;
                    case MIN -> Math.min(values[index], value);
                    case MAX -> Math.max(values[index], value);
                };
            }
        }
    }

    private static String combined(RollupTable.Measure measure) {
        return switch (measure.combine()) {
            case SUM -> "sum(" + measure.name() + ")";
            case MIN -> "min(" + measure.name() + ")";
            case MAX -> "max(" + measure.name() + ")";
        };
    }

    /** One aggregation from a bucket's combined measures, as the raw query's SQL aggregate would give it. */
    private static Object aggregate(Measure measure, long[] values) {
        if (values == null) {
            return measure.empty();
        }
        MetricTotals metric = MetricTotals.of(measure.metric(), values);
        return switch (measure.aggregation()) {
            case SUM -> measure.whole(metric.sum());
            case COUNT -> metric.count();
            case COUNT_TRUE -> metric.count() - metric.zeros();
            case COUNT_FALSE -> metric.zeros();
            case MIN -> metric.count() == 0 ? null : measure.whole(metric.min());
            case MAX -> metric.count() == 0 ? null : measure.whole(metric.max());
            case AVG -> metric.count() == 0 ? null : measure.fractional((double) metric.sum() / metric.count());
        };
    }

    /** One metric's count of values, sum, minimum, maximum and zeros in a bucket. */
    private record MetricTotals(long count, long sum, long min, long max, long zeros) {

        static MetricTotals of(Metric metric, long[] values) {
            long events = value(values, "events");
            if (metric instanceof UsageMetric usage) {
                String name = usage.wireName();
                return new MetricTotals(events, value(values, name + "_sum"), value(values, name + "_min"),
                        value(values, name + "_max"), value(values, name + "_zeros"));
            }
            long errors = value(values, "errors");
            return switch ((CallMetric) metric) {
                case LATENCY_MS -> new MetricTotals(value(values, "latency_ms_count"), value(values, "latency_ms_sum"),
                        value(values, "latency_ms_min"), value(values, "latency_ms_max"),
                        value(values, "latency_ms_zeros"));
                case CALL_COUNT -> new MetricTotals(events, events, 1, 1, 0);
                case ERROR_COUNT -> new MetricTotals(events, errors, errors == events ? 1 : 0, errors > 0 ? 1 : 0,
                        events - errors);
            };
        }

        private static long value(long[] values, String measure) {
            return values[MEASURE_INDEX.get(measure)];
        }
    }

    private static final Map<String, Integer> MEASURE_INDEX = measureIndex();

    private static Map<String, Integer> measureIndex() {
        Map<String, Integer> index = new HashMap<>();
        for (int position = 0; position < MEASURES.size(); position++) {
            index.put(MEASURES.get(position).name(), position);
        }
        return Map.copyOf(index);
    }

    // ---- latency percentiles ---------------------------------------------------------------

    /** Per bucket index, the latency percentiles asked for, keyed like the measures. */
    private Map<Long, Map<String, Object>> percentiles(StatsRequest request, BucketGrid grid, List<Measure> asked,
                                                       Map<String, long[]> totals,
                                                       Supplier<Map<Long, LatencySketch.Counts>> sketches) {
        long latencies = 0;
        for (long[] values : totals.values()) {
            latencies += values[MEASURE_INDEX.get("latency_ms_count")];
        }
        return latencies <= exactPercentileLimit ? exactPercentiles(request, grid, asked)
                : quantiles(sketches.get(), asked);
    }

    private Map<Long, Map<String, Object>> exactPercentiles(StatsRequest request, BucketGrid grid, List<Measure> asked) {
        SqlDialect dialect = store.dialect();
        SqlBuilder sql = new SqlBuilder().append("SELECT bucket");
        for (int index = 0; index < asked.size(); index++) {
            sql.append(", " + asked.get(index).sql("latency", dialect) + " AS percentile_" + index);
        }
        sql.append(" FROM (SELECT ");
        grid.appendBucket(sql, "time_ms", dialect);
        sql.append(" AS bucket, " + CallMetric.LATENCY_MS.sqlExpression() + " AS latency FROM "
                        + store.rows(RawTable.EVENTS) + "tenant_id = ")
                .value(request.tenantId()).append(" AND type = 'llm' AND time_ms >= ")
                .value(request.start().toEpochMilli()).append(" AND time_ms < ").value(request.end().toEpochMilli())
                .append(") AS llm_events GROUP BY bucket");
        Map<Long, Map<String, Object>> percentiles = new HashMap<>();
        for (Row row : store.query(sql.build())) {
            Map<String, Object> values = new HashMap<>();
            for (int index = 0; index < asked.size(); index++) {
                values.put(asked.get(index).key(), asked.get(index).read(row, "percentile_" + index));
            }
            percentiles.put(row.longValue("bucket"), values);
        }
        return percentiles;
    }

    /** Per bucket, the sketch rows of the whole hours plus the part-hours' raw latencies added to the same sketch. */
    private Map<Long, LatencySketch.Counts> sketches(StatsRequest request, BucketGrid grid) {
        SqlDialect dialect = store.dialect();
        Map<Long, LatencySketch.Counts> sketches = new HashMap<>();
        wholeSlots(request, grid, Rollups.LLM_LATENCY_BY_DAY, Rollups.LLM_LATENCY,
                (table, fromMs, toMs) -> addSketches(sketches, table, request, grid, fromMs, toMs));
        for (long[] edge : edges(request)) {
            SqlBuilder edges = new SqlBuilder().append("SELECT ");
            grid.appendBucket(edges, "time_ms", dialect);
            edges.append(" AS bucket, " + CallMetric.LATENCY_MS.sqlExpression() + " AS latency FROM "
                    + store.rows(RawTable.EVENTS));
            whereLlm(edges, request, edge).append(" AND ended_ms IS NOT NULL");
            for (Row row : store.query(edges.build())) {
                sketches.computeIfAbsent(row.longValue("bucket"), any -> new LatencySketch.Counts())
                        .add(LatencySketch.index(row.longValue("latency")), 1L);
            }
        }
        return sketches;
    }

    private static Map<Long, Map<String, Object>> quantiles(Map<Long, LatencySketch.Counts> sketches,
                                                            List<Measure> asked) {
        Map<Long, Map<String, Object>> percentiles = new HashMap<>();
        sketches.forEach((bucket, counts) -> {
            Map<String, Object> values = new HashMap<>();
            for (Measure measure : asked) {
                double fraction = measure.percentile().divide(BigDecimal.valueOf(100)).doubleValue();
                values.put(measure.key(), measure.fractional(counts.quantile(fraction)));
            }
            percentiles.put(bucket, values);
        });
        return percentiles;
    }

    /** Adds the sketch rows of one latency table's slots in {@code [fromMs, toMs)} to the buckets' sketches. */
    private void addSketches(Map<Long, LatencySketch.Counts> sketches, RollupTable table, StatsRequest request,
                             BucketGrid grid, long fromMs, long toMs) {
        if (fromMs >= toMs) {
            return;
        }
        String slot = table.grain().column();
        long slotMs = table.grain().milliseconds();
        SqlBuilder rollup = new SqlBuilder().append("SELECT bucket, sketch_index, "
                + store.dialect().signedInteger("sum(latencies)") + " AS latency_count FROM (SELECT ");
        grid.appendBucket(rollup, slot + " * " + slotMs, store.dialect());
        rollup.append(" AS bucket, sketch_index, latencies FROM ")
                .append(store.rollup(RollupRead.of(table, request.tenantId(), fromMs, toMs)))
                .append(" AS slot_rows) AS slots GROUP BY bucket, sketch_index");
        for (Row row : store.query(rollup.build())) {
            sketches.computeIfAbsent(row.longValue("bucket"), any -> new LatencySketch.Counts())
                    .add((int) row.longValue("sketch_index"), row.longValue("latency_count"));
        }
    }

    // ---- the range -------------------------------------------------------------------------

    /** The start rounded up to a whole hour: the rollup's part begins here. */
    private static long firstWholeHour(StatsRequest request) {
        return Math.floorDiv(request.start().toEpochMilli() + HOUR_MS - 1, HOUR_MS) * HOUR_MS;
    }

    /** The end rounded down to a whole hour: the rollup's part ends here. */
    private static long lastWholeHour(StatsRequest request) {
        return Math.floorDiv(request.end().toEpochMilli(), HOUR_MS) * HOUR_MS;
    }

    /**
     * The part-hours before and after the whole hours, those that are not empty, as
     * {@code [from, to)}. Each is queried on its own: a range with bound parameters lets DuckDB
     * skip the blocks outside it, where two ranges joined by OR would scan the whole table.
     */
    private static List<long[]> edges(StatsRequest request) {
        List<long[]> edges = new ArrayList<>();
        if (request.start().toEpochMilli() < firstWholeHour(request)) {
            edges.add(new long[] {request.start().toEpochMilli(), firstWholeHour(request)});
        }
        if (lastWholeHour(request) < request.end().toEpochMilli()) {
            edges.add(new long[] {lastWholeHour(request), request.end().toEpochMilli()});
        }
        return edges;
    }

    /** Appends the conditions of an llm row in the range, after a store's open {@code WHERE}. */
    private static SqlBuilder whereLlm(SqlBuilder sql, StatsRequest request, long[] range) {
        return sql.append("tenant_id = ").value(request.tenantId())
                .append(" AND type = 'llm' AND time_ms >= ").value(range[0]).append(" AND time_ms < ").value(range[1]);
    }
}
