package dev.tally.store.sql;

/**
 * What differs between the engines Tally runs on, kept small on purpose: the reports write
 * portable SQL and ask the dialect only for the few functions that have no common spelling.
 */
public interface SqlDialect {

    /** Integer division that truncates, for time buckets ({@code (time_ms - origin) / size}). */
    String integerDivide(String dividend, String divisor);

    /** The exact or approximate {@code fraction} quantile (0–1) of a numeric expression. */
    String quantile(String expression, double fraction);

    /** Count of distinct values of an expression. */
    String countDistinct(String expression);

    /**
     * An integer aggregate as a signed 64-bit value, where rows of a rollup table and rows derived
     * from raw rows meet in one {@code UNION ALL}: ClickHouse's {@code sum} of a literal 1 is
     * unsigned, and it finds no common type for Int64 and UInt64.
     */
    String signedInteger(String expression);

    /**
     * A nullable text column read where it is known not to be NULL, so it joins a column that is
     * never NULL: ClickHouse refuses to join {@code Nullable(String)} with {@code String}.
     */
    String knownNotNull(String expression);

    /**
     * The text of an event's attribute in its raw row ({@code attributes}, a flat JSON object of
     * strings): NULL or empty when the event has none of that name. The name must be a plain word
     * (letters, digits, {@code _ . -}); it is written into the SQL as it is.
     */
    String attributeText(String name);
}
