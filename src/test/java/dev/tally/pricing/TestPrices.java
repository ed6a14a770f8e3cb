package dev.tally.pricing;

import dev.tally.event.Event;
import dev.tally.event.EventType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/** Short ways to write price entries and events in tests; every rate not set stays null. */
final class TestPrices {
    private TestPrices() {
    }

    static Builder entry(String provider, String model) {
        return new Builder(provider, model);
    }

    /** An entry of another unit than tokens: no rate until given by its JSON name, no multiplier. */
    static Builder usageEntry(String provider, String model) {
        Builder builder = new Builder(provider, model);
        builder.input = null;
        builder.output = null;
        builder.creditMultiplier = null;
        return builder;
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
        private String prefix;
        private final Map<String, BigDecimal> otherRates = new HashMap<>();

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

        /** A rate of a unit other than tokens, by its JSON name. */
        Builder rate(String name, String value) {
            otherRates.put(name, decimal(value));
            return this;
        }

        Builder prefix(String value) {
            prefix = value;
            return this;
        }

        PriceEntry build() {
            Map<String, BigDecimal> rates = new HashMap<>(otherRates);
            rates.put("input_per_million", input);
            rates.put("cached_input_per_million", cached);
            rates.put("cache_creation_per_million", cacheCreation);
            rates.put("output_per_million", output);
            rates.put("input_audio_per_million", inputAudio);
            rates.put("output_audio_per_million", outputAudio);
            rates.put(PriceEntry.CREDIT_MULTIPLIER, creditMultiplier);
            return PriceEntry.of(id, tenantId, provider, model, effectiveFrom, prefix, rates);
        }

        private static BigDecimal decimal(String text) {
            return text == null ? null : new BigDecimal(text);
        }
    }
}
