package dev.tally.store.clickhouse;

import dev.tally.store.sql.SqlDialect;
import java.math.BigDecimal;

/**
 * ClickHouse's spellings, valid from 18.16 to current releases.
 *
 * <p>Quantiles: ClickHouse's own {@code quantile} samples and {@code quantileExact} does not
 * interpolate, and {@code quantileExactInclusive} does not exist in 18.x. DuckDB's
 * {@code quantile_cont} is the reference (percentiles must not depend on the store), so the same
 * interpolation is written out over the sorted values: with {@code h = (n - 1) × fraction} and
 * {@code d = h − ⌊h⌋}, {@code v[⌊h⌋] × (1 − d) + v[⌈h⌉] × d}, in doubles and in that order of
 * operations, which is DuckDB's ({@code CastInterpolation::Interpolate}): another spelling of the
 * same formula differs in the last bit. The lambda
 * binds the sorted array once; NULL values are left out by {@code groupArray}, and a bucket with
 * none gives NULL, as in DuckDB.
 */
public final class ClickHouseDialect implements SqlDialect {

    @Override
    public String integerDivide(String dividend, String divisor) {
        return "intDiv(" + dividend + ", " + divisor + ")";
    }

    @Override
    public String quantile(String expression, double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("a quantile fraction is between 0 and 1, not " + fraction);
        }
        String h = "((length(sorted_values) - 1) * " + BigDecimal.valueOf(fraction).toPlainString() + ")";
        String low = "sorted_values[toUInt64(floor(" + h + ")) + 1]";
        String high = "sorted_values[toUInt64(ceil(" + h + ")) + 1]";
        String d = "(" + h + " - floor(" + h + "))";
        return "arrayMap(sorted_values -> if(length(sorted_values) = 0, NULL, toFloat64(" + low + ") * (1 - " + d
                + ") + toFloat64(" + high + ") * " + d + "), [arraySort(groupArray(" + expression + "))])[1]";
    }

    @Override
    public String countDistinct(String expression) {
        return "uniqExact(" + expression + ")";
    }

    @Override
    public String signedInteger(String expression) {
        return "toInt64(" + expression + ")";
    }

    @Override
    public String knownNotNull(String expression) {
        return "assumeNotNull(" + expression + ")";
    }

    @Override
    public String attributeText(String name) {
        return "visitParamExtractString(attributes, '" + name + "')";
    }
}
