package dev.tally.report.stats;

import dev.tally.error.Rejection;
import dev.tally.store.ReportStore;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.store.sql.SqlDialect;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Computes the bucket series of a statistics request: one grouped query over the tenant's llm
 * events, then a dense series in Java, so every bucket of the range appears whether or not it had
 * events (the store returns only buckets that have some).
 */
final class StatsQuery {
    /** 10,000 buckets for each of 100 models: beyond it the answer is too large to be useful. */
    static final long MAX_USAGE_BUCKETS = Granularity.MAX_BUCKETS * 100;

    private final ReportStore store;
    private final StatsFromRollups rollups;

    StatsQuery(ReportStore store) {
        this(store, StatsFromRollups.EXACT_PERCENTILE_LIMIT);
    }

    /** @param exactPercentileLimit latencies in a range up to which percentiles are exact (tests force the sketch with 0) */
    StatsQuery(ReportStore store, long exactPercentileLimit) {
        this.store = store;
        this.rollups = new StatsFromRollups(store, exactPercentileLimit);
    }

    /** Per bucket and model, for every model with events in the filtered range; by timestamp, then model. */
    List<Map<String, Object>> usageBuckets(StatsRequest request, BucketGrid grid) {
        if (request.usageMetrics().isEmpty()) {
            return List.of();
        }
        if (rollups.answers(request, grid)) {
            return rollups.usageBuckets(request, grid);
        }
        Columns columns = new Columns(request.usageMetrics());
        Map<String, Row> found = new HashMap<>();
        TreeSet<String> models = new TreeSet<>();
        for (Row row : store.query(columns.sql(request, grid, true, store).build())) {
            String model = row.string("model");
            models.add(model);
            found.put(row.longValue("bucket") + "\n" + model, row);
        }
        if ((long) grid.count() * models.size() > MAX_USAGE_BUCKETS) {
            throw tooManyBuckets(grid, models.size());
        }
        List<Map<String, Object>> buckets = new ArrayList<>();
        for (int index = 0; index < grid.count(); index++) {
            for (String model : models) {
                Map<String, Object> bucket = new LinkedHashMap<>();
                bucket.put("timestamp", grid.bucketStart(index).toString());
                bucket.put("model", model);
                columns.fill(bucket, found.get(index + "\n" + model));
                buckets.add(bucket);
            }
        }
        return buckets;
    }

    static Rejection tooManyBuckets(BucketGrid grid, int models) {
        return Rejection.invalid("granularity", "the answer would have " + grid.count() + " buckets for each of "
                + models + " models; use a larger granularity, a shorter range or a filter");
    }

    /** Appends a dialect's text whose {@code ?} placeholders take {@code values}, in order. */
    static void appendBound(SqlBuilder sql, String text, Object... values) {
        String[] pieces = text.split("\\?", -1);
        if (pieces.length != values.length + 1) {
            throw new IllegalStateException("expected " + values.length + " placeholders in " + text);
        }
        sql.append(pieces[0]);
        for (int index = 0; index < values.length; index++) {
            sql.value(values[index]).append(pieces[index + 1]);
        }
    }

    /** Per bucket, every bucket of the range. */
    List<Map<String, Object>> callBuckets(StatsRequest request, BucketGrid grid) {
        if (request.callMetrics().isEmpty()) {
            return List.of();
        }
        if (rollups.answers(request, grid)) {
            return rollups.callBuckets(request, grid);
        }
        Columns columns = new Columns(request.callMetrics());
        Map<Long, Row> found = new HashMap<>();
        for (Row row : store.query(columns.sql(request, grid, false, store).build())) {
            found.put(row.longValue("bucket"), row);
        }
        List<Map<String, Object>> buckets = new ArrayList<>();
        for (int index = 0; index < grid.count(); index++) {
            Map<String, Object> bucket = new LinkedHashMap<>();
            bucket.put("timestamp", grid.bucketStart(index).toString());
            columns.fill(bucket, found.get((long) index));
            buckets.add(bucket);
        }
        return buckets;
    }

    /** The result columns of one query: a value column per metric, an aggregate column per measure. */
    private static final class Columns {
        private final Map<Metric, String> metricColumns = new LinkedHashMap<>();
        private final Map<String, Measure> measures = new LinkedHashMap<>();
        private final Map<String, String> measureColumns = new HashMap<>();

        Columns(List<MetricSpec> specs) {
            for (MetricSpec spec : specs) {
                metricColumns.computeIfAbsent(spec.metric(), metric -> "metric_" + metricColumns.size());
                for (Measure measure : spec.measures()) {
                    if (measures.putIfAbsent(measure.key(), measure) == null) {
                        measureColumns.put(measure.key(), "measure_" + measureColumns.size());
                    }
                }
            }
        }

        /**
         * The inner query computes each event's bucket index and metric values; the outer one groups.
         * The bucket compares {@code time_ms} with edges computed in Java ({@link BucketGrid}), so no
         * engine needs time zone rules.
         */
        SqlBuilder sql(StatsRequest request, BucketGrid grid, boolean byModel, ReportStore store) {
            SqlDialect dialect = store.dialect();
            SqlBuilder sql = new SqlBuilder().append("SELECT bucket");
            if (byModel) {
                sql.append(", model");
            }
            sql.append(", count(*) AS event_count");
            measures.forEach((key, measure) -> sql.append(", " + measure.sql(metricColumns.get(measure.metric()), dialect)
                    + " AS " + measureColumns.get(key)));
            sql.append(" FROM (SELECT ");
            grid.appendBucket(sql, "time_ms", dialect);
            sql.append(" AS bucket");
            if (byModel) {
                sql.append(", model");
            }
            metricColumns.forEach((metric, column) -> sql.append(", " + metric.sqlExpression() + " AS " + column));
            sql.append(" FROM " + store.rows(RawTable.EVENTS) + "tenant_id = ").value(request.tenantId())
                    .append(" AND type = 'llm' AND time_ms >= ").value(request.start().toEpochMilli())
                    .append(" AND time_ms < ").value(request.end().toEpochMilli());
            request.filter().appendTo(sql);
            sql.append(") AS llm_events GROUP BY bucket");
            if (byModel) {
                sql.append(", model");
            }
            return sql;
        }

        void fill(Map<String, Object> bucket, Row row) {
            measures.forEach((key, measure) -> bucket.put(key,
                    row == null ? measure.empty() : measure.read(row, measureColumns.get(key))));
            bucket.put("count", row == null ? 0L : row.longValue("event_count"));
        }
    }
}
