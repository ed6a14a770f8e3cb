package dev.tally.store.duckdb;

import dev.tally.store.sql.SqlDialect;

/** DuckDB's spellings: {@code //} divides integers, {@code quantile_cont} interpolates exactly. */
public final class DuckDbDialect implements SqlDialect {

    @Override
    public String integerDivide(String dividend, String divisor) {
        return "((" + dividend + ") // (" + divisor + "))";
    }

    @Override
    public String quantile(String expression, double fraction) {
        return "quantile_cont(" + expression + ", " + fraction + ")";
    }

    @Override
    public String countDistinct(String expression) {
        return "count(DISTINCT " + expression + ")";
    }

    /** DuckDB widens BIGINT and HUGEINT to HUGEINT itself; a cast would turn an overflow into a SQL error. */
    @Override
    public String signedInteger(String expression) {
        // DuckDB's sum of BIGINTs is a HUGEINT, which JDBC hands back as a BigInteger: slow to read by the thousand
        return "CAST(" + expression + " AS BIGINT)";
    }

    @Override
    public String knownNotNull(String expression) {
        return expression;
    }

    @Override
    public String attributeText(String name) {
        return "json_extract_string(attributes, '$.\"" + name + "\"')";
    }
}
