package dev.tally.report.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The price book the contract test posts, and the cost and credits of an LLM request under it, by
 * the rules of the ingest contract: the entry in force at the event's time, a tenant's entry before
 * the platform's, an exact model before the longest pattern; cached input tokens at the cached rate
 * only; a reported {@code cost_usd} wins; credits are total tokens ÷ 1,000 × the multiplier; no
 * entry means cost 0, no credits, counted as unpriced.
 *
 * <p>Rates have at most three decimals and multipliers at most three, so every event's cost is a
 * whole number of nano-dollars and its credits of micro-credits: the expected sums are exact
 * whatever rounding Tally applies to finer amounts. The entries never make the precedence rules
 * compete with each other in ways the documents leave open (a tenant's pattern against the
 * platform's exact model, an older exact entry against a newer pattern).
 */
final class ContractPrices {
    static final String PROVIDER_ACME = "acme-ai";
    static final String PROVIDER_BETA = "beta-ai";
    static final String PROVIDER_UNPRICED = "ghost-ai";
    static final String OVERRIDDEN_TENANT = "globex";

    record Entry(String tenant, String provider, String model, LocalDate effectiveFrom, BigDecimal input,
                 BigDecimal cachedInput, BigDecimal cacheCreation, BigDecimal output, BigDecimal inputAudio,
                 BigDecimal outputAudio, BigDecimal creditMultiplier) {

        boolean matches(String tenantId, String eventProvider, String eventModel, LocalDate day) {
            return (tenant == null || tenant.equals(tenantId)) && provider.equals(eventProvider)
                    && (model.endsWith("*") ? eventModel.startsWith(model.substring(0, model.length() - 1))
                    : model.equals(eventModel))
                    && !effectiveFrom.isAfter(day);
        }

        ObjectNode body() {
            ObjectNode body = AnswerComparison.MAPPER.createObjectNode();
            if (tenant != null) {
                body.put("tenant_id", tenant);
            }
            return body.put("provider", provider).put("model", model).put("effective_from", effectiveFrom.toString())
                    .put("input_per_million", input).put("cached_input_per_million", cachedInput)
                    .put("cache_creation_per_million", cacheCreation).put("output_per_million", output)
                    .put("input_audio_per_million", inputAudio).put("output_audio_per_million", outputAudio)
                    .put("credit_multiplier", creditMultiplier);
        }

        /** Exact models first, then longer patterns; among equals, the latest entry in force. */
        private int specificity() {
            return model.endsWith("*") ? model.length() : Integer.MAX_VALUE;
        }
    }

    /** What ingest stores with an LLM request. */
    record Priced(BigDecimal cost, BigDecimal credits, boolean priced) {
    }

    private final List<Entry> entries;

    ContractPrices(LocalDate priceChangeDay) {
        LocalDate always = LocalDate.parse("2024-01-01");
        entries = List.of(
                entry(null, PROVIDER_ACME, "*", always, "0.5", "0.25", "0.625", "1.5", "4", "8", "0.5"),
                entry(null, PROVIDER_ACME, "acme-l*", always, "2", "1", "2.5", "6", "16", "32", "1"),
                entry(null, PROVIDER_ACME, "acme-large", always, "5", "2.5", "6.25", "15", "40", "80", "2.25"),
                entry(null, PROVIDER_ACME, "acme-large", priceChangeDay, "3", "0.3", "3.75", "12", "30", "60", "1.75"),
                entry(null, PROVIDER_BETA, "beta-*", always, "1.1", "0.11", "1.375", "4.4", "20", "40", "0.125"),
                entry(OVERRIDDEN_TENANT, PROVIDER_ACME, "acme-large", always, "0.9", "0.09", "1.125", "3.6", "9", "18",
                        "3"));
    }

    private static Entry entry(String tenant, String provider, String model, LocalDate from, String input,
                               String cachedInput, String cacheCreation, String output, String inputAudio,
                               String outputAudio, String multiplier) {
        return new Entry(tenant, provider, model, from, new BigDecimal(input), new BigDecimal(cachedInput),
                new BigDecimal(cacheCreation), new BigDecimal(output), new BigDecimal(inputAudio),
                new BigDecimal(outputAudio), new BigDecimal(multiplier));
    }

    List<Entry> entries() {
        return entries;
    }

    Priced price(String tenant, JsonNode llm) {
        String provider = EventFields.text(llm, "provider");
        String model = EventFields.text(llm, "model");
        Optional<Entry> inForce = entries.stream()
                .filter(entry -> entry.matches(tenant, provider, model, EventFields.utcDay(llm)))
                .max(Comparator.comparing((Entry entry) -> entry.tenant() != null)
                        .thenComparing(Entry::specificity)
                        .thenComparing(Entry::effectiveFrom));
        if (inForce.isEmpty()) {
            return new Priced(BigDecimal.ZERO, BigDecimal.ZERO, false);
        }
        Entry entry = inForce.get();
        long input = EventFields.count(llm, "input_tokens");
        long cached = EventFields.count(llm, "cached_input_tokens");
        long creation = EventFields.count(llm, "cache_creation_input_tokens");
        long output = EventFields.count(llm, "output_tokens");
        long inputAudio = EventFields.count(llm, "input_audio_tokens");
        long outputAudio = EventFields.count(llm, "output_audio_tokens");
        BigDecimal computed = times(input - cached, entry.input()).add(times(cached, entry.cachedInput()))
                .add(times(creation, entry.cacheCreation())).add(times(output, entry.output()))
                .add(times(inputAudio, entry.inputAudio())).add(times(outputAudio, entry.outputAudio()))
                .movePointLeft(6);
        BigDecimal reported = EventFields.decimal(llm, "cost_usd");
        BigDecimal credits = times(input + creation + output + inputAudio + outputAudio, entry.creditMultiplier())
                .movePointLeft(3);
        return new Priced(reported != null ? reported : computed, credits, true);
    }

    private static BigDecimal times(long tokens, BigDecimal rate) {
        return BigDecimal.valueOf(tokens).multiply(rate);
    }
}
