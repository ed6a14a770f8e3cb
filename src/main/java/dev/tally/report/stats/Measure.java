package dev.tally.report.stats;

import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlDialect;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One value of a bucket: an aggregation or a percentile of one metric, with its output key
 * ({@code sum_input_tokens}, {@code p99.9_latency_ms}) and how to read it from a result row.
 *
 * @param aggregation null for a percentile
 * @param percentile null for an aggregation; 0–100
 */
record Measure(String key, Metric metric, Aggregation aggregation, BigDecimal percentile) {

    static Measure aggregation(Metric metric, Aggregation aggregation) {
        return new Measure(aggregation.wireName() + "_" + metric.wireName(), metric, aggregation, null);
    }

    static Measure percentile(Metric metric, BigDecimal percentile) {
        return new Measure("p" + percentileName(percentile) + "_" + metric.wireName(), metric, null, percentile);
    }

    /** 95 → "95", 99.9 → "99.9", 50.0 → "50": the number without trailing zeros or exponent. */
    static String percentileName(BigDecimal percentile) {
        BigDecimal stripped = percentile.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }

    /** The SQL aggregate over {@code column}, the metric's value per event. */
    String sql(String column, SqlDialect dialect) {
        if (aggregation != null) {
            return aggregation.sql(column);
        }
        double fraction = percentile.divide(BigDecimal.valueOf(100)).doubleValue();
        return dialect.quantile(column, fraction);
    }

    /** The value of a bucket that has events, from the aggregate's result column. */
    Object read(Row row, String column) {
        if (aggregation == null) {
            return fractional(row.doubleOrNull(column));
        }
        return switch (aggregation) {
            case SUM -> whole(row.longValue(column));
            case COUNT, COUNT_TRUE, COUNT_FALSE -> row.longValue(column);
            case MIN, MAX -> row.get(column) == null ? null : whole(row.longValue(column));
            case AVG -> fractional(row.doubleOrNull(column));
        };
    }

    /** The value of a bucket without events: 0 for sums and counts, null where nothing has no value. */
    Object empty() {
        if (aggregation == null) {
            return null;
        }
        return switch (aggregation) {
            case SUM -> whole(0);
            case COUNT, COUNT_TRUE, COUNT_FALSE -> 0L;
            case AVG, MIN, MAX -> null;
        };
    }

    /** A whole-number result (a sum, minimum or maximum) in the metric's unit. */
    Object whole(long value) {
        return switch (metric.unit()) {
            case COUNT -> value;
            case NANO_USD -> Usd.ofNanos(value);
        };
    }

    /** A fractional result (an average or percentile) in the metric's unit; null stays null. */
    Object fractional(Double value) {
        if (value == null) {
            return null;
        }
        return switch (metric.unit()) {
            case COUNT -> value;
            // an average or interpolated percentile of nano-USD is rounded to the whole nano-USD
            case NANO_USD -> Usd.ofNanos(BigDecimal.valueOf(value).setScale(0, RoundingMode.HALF_EVEN).longValueExact());
        };
    }
}
