package dev.tally.store.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * One result row, with getters that coerce whatever the engine's driver returned: DuckDB hands
 * back {@code BigInteger} for a sum of BIGINTs and ClickHouse quotes 64-bit integers in JSON, so
 * reports read every value through here rather than casting.
 */
public final class Row {
    private final Map<String, Object> values;

    public Row(Map<String, Object> values) {
        this.values = values;
    }

    public Object get(String column) {
        if (!values.containsKey(column)) {
            throw new IllegalArgumentException("no column " + column + " in " + values.keySet());
        }
        return values.get(column);
    }

    public String string(String column) {
        Object value = get(column);
        return value == null ? null : value.toString();
    }

    /** A whole number; NULL reads as 0 because SQL sums over no rows are NULL. */
    public long longValue(String column) {
        Object value = get(column);
        if (value == null) {
            return 0L;
        }
        if (value instanceof Number number) {
            if (value instanceof BigInteger whole) {
                // DuckDB's sum of BIGINTs is a HUGEINT: a rollup sum arrives as one on every row
                return whole.longValueExact();
            }
            if (value instanceof BigDecimal) {
                return new BigDecimal(value.toString()).longValueExact();
            }
            return number.longValue();
        }
        return Long.parseLong(value.toString());
    }

    /** A decimal number, or {@code null} when the engine returned NULL (min, max and quantiles of nothing). */
    public Double doubleOrNull(String column) {
        Object value = get(column);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        return Double.parseDouble(value.toString());
    }

    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
