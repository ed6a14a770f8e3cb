package dev.tally.report.usage;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * The reports' decimal figures, made from the exact integer sums the store keeps (micro-credits,
 * nano-dollars, milliseconds) only at the end, so no sum ever goes through a double.
 */
final class Decimals {

    private Decimals() {
    }

    static BigDecimal credits(long micros) {
        return trimmed(BigDecimal.valueOf(micros, 6));
    }

    static BigDecimal dollars(long nanos) {
        return trimmed(BigDecimal.valueOf(nanos, 9));
    }

    static BigDecimal seconds(long millis) {
        return trimmed(BigDecimal.valueOf(millis, 3));
    }

    /** Whole seconds, half up: the phone report's rounding, applied once to each sum of milliseconds. */
    static long roundedSeconds(long millis) {
        return Math.floorDiv(millis + 500, 1000);
    }

    private static BigDecimal trimmed(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /**
     * Writes a BigDecimal as a plain JSON number: Jackson's default is {@code toString}, which turns
     * a tiny cost such as 0.000000001 into {@code 1E-9}; valid JSON, but not what a spreadsheet or a
     * person expects in a usage report.
     */
    static final class PlainSerializer extends StdSerializer<BigDecimal> {
        PlainSerializer() {
            super(BigDecimal.class);
        }

        @Override
        public void serialize(BigDecimal value, JsonGenerator generator, SerializerProvider provider)
                throws IOException {
            generator.writeNumber(value.toPlainString());
        }
    }
}
