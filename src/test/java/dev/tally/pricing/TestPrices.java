package dev.tally.pricing;

import dev.tally.event.Event;
import dev.tally.event.EventType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** Short ways to write price entries and events in tests; every rate not set stays null. */
final class TestPrices {
    private TestPrices() {
    }

    static Builder entry(String provider, String model) {
        return new Builder(provider, model);
    }

    static long epochMs(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    static Event llmEvent(String tenantId, String provider, String model, String instant) {
        Event event = new Event();
        event.tenantId = tenantId;
        event.id = "event-1";
        event.type = EventType.LLM;
        event.provider = provider;
        event.model = model;
        event.timeMs = epochMs(instant);
        return event;
    }

    static final class Builder {
        private String id;
        private String tenantId;
        private final String provider;
        private final String model;
        private LocalDate effectiveFrom = LocalDate.parse("2024-01-01");
        private BigDecimal input = BigDecimal.ONE;
        private BigDecimal cached;
        private BigDecimal cacheCreation;
        private BigDecimal output = BigDecimal.ONE;
        private BigDecimal inputAudio;
        private BigDecimal outputAudio;
        private BigDecimal creditMultiplier = BigDecimal.ONE;

        private Builder(String provider, String model) {
            this.provider = provider;
            this.model = model;
        }

        Builder id(String value) {
            id = value;
            return this;
        }

        Builder tenant(String value) {
            tenantId = value;
            return this;
        }

        Builder from(String isoDate) {
            effectiveFrom = LocalDate.parse(isoDate);
            return this;
        }

        Builder input(String perMillion) {
            input = decimal(perMillion);
            return this;
        }

        Builder cached(String perMillion) {
            cached = decimal(perMillion);
            return this;
        }

        Builder cacheCreation(String perMillion) {
            cacheCreation = decimal(perMillion);
            return this;
        }

        Builder output(String perMillion) {
            output = decimal(perMillion);
            return this;
        }

        Builder inputAudio(String perMillion) {
            inputAudio = decimal(perMillion);
            return this;
        }

        Builder outputAudio(String perMillion) {
            outputAudio = decimal(perMillion);
            return this;
        }

        Builder credits(String multiplier) {
            creditMultiplier = decimal(multiplier);
            return this;
        }

        PriceEntry build() {
            return new PriceEntry(id, tenantId, provider, model, effectiveFrom, input, cached, cacheCreation,
                    output, inputAudio, outputAudio, creditMultiplier);
        }

        private static BigDecimal decimal(String text) {
            return text == null ? null : new BigDecimal(text);
        }
    }
}
