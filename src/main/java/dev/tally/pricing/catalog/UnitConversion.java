package dev.tally.pricing.catalog;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Turns a catalog's per-unit prices into the units of a {@link CatalogEntry}, exactly where possible. */
final class UnitConversion {
    private static final int MAX_DECIMALS = 6;
    private static final BigDecimal SECONDS_PER_MINUTE = BigDecimal.valueOf(60);
    private static final BigDecimal MINUTES_PER_HOUR = BigDecimal.valueOf(60);

    private UnitConversion() {
    }

    /** Per token (or per character) to per million: a decimal shift, never rounded. */
    static BigDecimal perMillion(BigDecimal perUnit) {
        return perUnit == null ? null : atMostSixDecimals(perUnit.movePointRight(6));
    }

    static BigDecimal perMinuteFromPerSecond(BigDecimal perSecond) {
        return perSecond == null ? null : atMostSixDecimals(perSecond.multiply(SECONDS_PER_MINUTE));
    }

    static BigDecimal perMinuteFromPerHour(BigDecimal perHour) {
        return perHour == null ? null : atMostSixDecimals(perHour.divide(MINUTES_PER_HOUR, 12, RoundingMode.HALF_UP));
    }

    /** A price already in the entry's unit, rounded only when its source wrote more decimals than six. */
    static BigDecimal sixDecimals(BigDecimal value) {
        return value == null ? null : atMostSixDecimals(value);
    }

    /**
     * Catalogs publish some prices as repeating fractions of a cent (LiteLLM's $0.017 a minute is
     * 0.0002833333… a second, and sixty of those are 0.016999…98): rounded half-up to the six
     * decimals the stores keep, which lands such a value back on the published price.
     */
    private static BigDecimal atMostSixDecimals(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() > MAX_DECIMALS ? stripped.setScale(MAX_DECIMALS, RoundingMode.HALF_UP) : stripped;
    }
}
