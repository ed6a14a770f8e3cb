package dev.tally.report.stats;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * An amount of US dollars, exact to the nano-dollar. Written as a plain JSON number: a bare
 * BigDecimal would come out as {@code 1E-9} for one nano-dollar, which some clients misread.
 */
@JsonSerialize(using = Usd.PlainNumber.class)
record Usd(BigDecimal dollars) {

    static Usd ofNanos(long nanos) {
        return new Usd(BigDecimal.valueOf(nanos, 9));
    }

    /** Without trailing zeros: 0.00405, 0. */
    @Override
    public String toString() {
        return dollars.signum() == 0 ? "0" : dollars.stripTrailingZeros().toPlainString();
    }

    static final class PlainNumber extends JsonSerializer<Usd> {
        @Override
        public void serialize(Usd value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeNumber(value.toString());
        }
    }
}
