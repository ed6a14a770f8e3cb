package dev.tally.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Turns exact integer sums (nano-dollars, milliseconds, counts) into the decimal numbers reports
 * show. Rounding happens once, here, at the end, half up.
 *
 * <p>Results are stripped of trailing zeros but keep at least one decimal place, so JSON carries
 * {@code 46.5}, {@code 0.0}, {@code 100.0}: always a plain decimal that typed clients read as a
 * float, never exponent notation and never a long tail of zeros.
 */
public final class ReportDecimals {
    private static final BigDecimal NANOS_PER_DOLLAR = BigDecimal.valueOf(1_000_000_000L);
    /** Money is shown to the micro-dollar: finer than any carrier bills, coarse enough to read. */
    public static final int DOLLAR_SCALE = 6;

    private ReportDecimals() {
    }

    /** Nano-dollars as dollars, to {@link #DOLLAR_SCALE} decimals. */
    public static BigDecimal dollars(long nanos) {
        return plain(BigDecimal.valueOf(nanos).divide(NANOS_PER_DOLLAR, DOLLAR_SCALE, RoundingMode.HALF_UP));
    }

    /** Milliseconds as minutes, to 2 decimals. */
    public static BigDecimal minutes(long millis) {
        return ratio(millis, 60_000L, 2);
    }

    /** Milliseconds as hours, to 2 decimals, from the exact sum so minutes and hours never compound rounding. */
    public static BigDecimal hours(long millis) {
        return ratio(millis, 3_600_000L, 2);
    }

    /** Milliseconds as seconds, to 2 decimals. */
    public static BigDecimal seconds(long millis) {
        return ratio(millis, 1_000L, 2);
    }

    /** {@code numerator / denominator} to {@code scale} decimals; 0.0 when the denominator is 0. */
    public static BigDecimal ratio(long numerator, long denominator, int scale) {
        if (denominator == 0) {
            return plain(BigDecimal.ZERO);
        }
        return plain(BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), scale, RoundingMode.HALF_UP));
    }

    private static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 1 ? stripped.setScale(1) : stripped;
    }
}
