package dev.tally.pricing.catalog;

import dev.tally.pricing.InvalidPriceEntryException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One dated price of a public catalog: what a provider's model (or carrier route) costs in USD,
 * in the unit of its {@link CatalogKind}, from {@code effectiveFrom} on. Rates that the source
 * does not give are null, never zero, so that "free" and "unknown" stay apart.
 *
 * <p>The long-context tier applies to a request whose prompt has more than
 * {@code longContextThresholdTokens} tokens: both public catalogs state their tiers that way
 * ("above 200k tokens").
 *
 * <p>Rates are kept with trailing zeros stripped, so that two entries read from differently
 * written numbers ({@code 2.50} and {@code 2.5}) are equal.
 *
 * @param source where the price came from: a catalog name and version, or a URL
 * @param prefix for {@link CatalogKind#CALL} only: the E.164 prefix of the far party ({@code +44}), or null for any number
 */
public record CatalogEntry(
        CatalogKind kind,
        String provider,
        String model,
        String prefix,
        LocalDate effectiveFrom,
        String source,
        BigDecimal input,
        BigDecimal cachedInput,
        BigDecimal cacheCreationInput,
        BigDecimal output,
        BigDecimal inputAudio,
        BigDecimal outputAudio,
        Long longContextThresholdTokens,
        BigDecimal longContextInput,
        BigDecimal longContextOutput,
        BigDecimal perAudioMinute,
        BigDecimal perMillionCharacters,
        BigDecimal perSegmentOutbound,
        BigDecimal perSegmentInbound,
        BigDecimal perMinuteOutbound,
        BigDecimal perMinuteInbound) {

    /** For prices a catalog gives without a start: in force for every event before a dated change. */
    public static final LocalDate UNDATED = LocalDate.EPOCH;

    private static final int MAX_DECIMALS = 6;
    private static final BigDecimal MAX_RATE = new BigDecimal("999999999999.999999");
    private static final Pattern E164_PREFIX = Pattern.compile("\\+[0-9]{1,15}");

    public CatalogEntry {
        if (kind == null) {
            throw new InvalidPriceEntryException("kind", "required");
        }
        requireNonBlank("provider", provider);
        requireNonBlank("model", model);
        requireNonBlank("source", source);
        int star = model.indexOf('*');
        if (star >= 0 && star != model.length() - 1) {
            throw new InvalidPriceEntryException("model", "'*' is allowed only as the last character (a prefix pattern)");
        }
        if (effectiveFrom == null) {
            throw new InvalidPriceEntryException("effective_from", "required");
        }
        if (prefix != null) {
            if (kind != CatalogKind.CALL) {
                throw new InvalidPriceEntryException("prefix", "only call entries name an E.164 prefix, not " + kind);
            }
            if (!E164_PREFIX.matcher(prefix).matches()) {
                throw new InvalidPriceEntryException("prefix", "an E.164 prefix such as +44, was " + prefix);
            }
        }
        input = canonical("input", input);
        cachedInput = canonical("cached_input", cachedInput);
        cacheCreationInput = canonical("cache_creation_input", cacheCreationInput);
        output = canonical("output", output);
        inputAudio = canonical("input_audio", inputAudio);
        outputAudio = canonical("output_audio", outputAudio);
        longContextInput = canonical("long_context_input", longContextInput);
        longContextOutput = canonical("long_context_output", longContextOutput);
        perAudioMinute = canonical("per_audio_minute", perAudioMinute);
        perMillionCharacters = canonical("per_million_characters", perMillionCharacters);
        perSegmentOutbound = canonical("per_segment_outbound", perSegmentOutbound);
        perSegmentInbound = canonical("per_segment_inbound", perSegmentInbound);
        perMinuteOutbound = canonical("per_minute_outbound", perMinuteOutbound);
        perMinuteInbound = canonical("per_minute_inbound", perMinuteInbound);

        Map<String, Object> rates = new LinkedHashMap<>();
        rates.put("input", input);
        rates.put("cached_input", cachedInput);
        rates.put("cache_creation_input", cacheCreationInput);
        rates.put("output", output);
        rates.put("input_audio", inputAudio);
        rates.put("output_audio", outputAudio);
        rates.put("long_context_threshold_tokens", longContextThresholdTokens);
        rates.put("long_context_input", longContextInput);
        rates.put("long_context_output", longContextOutput);
        rates.put("per_audio_minute", perAudioMinute);
        rates.put("per_million_characters", perMillionCharacters);
        rates.put("per_segment_outbound", perSegmentOutbound);
        rates.put("per_segment_inbound", perSegmentInbound);
        rates.put("per_minute_outbound", perMinuteOutbound);
        rates.put("per_minute_inbound", perMinuteInbound);
        requireRatesOfItsKind(kind, rates);
        if (kind == CatalogKind.LLM) {
            requireLanguageModelRates(input, output, longContextThresholdTokens, longContextInput, longContextOutput);
        }
    }

    /** Whether every rate given is zero: a catalog's way of saying "no price" as often as "free". */
    public boolean hasOnlyZeroRates() {
        return Stream.of(input, cachedInput, cacheCreationInput, output, inputAudio, outputAudio,
                        longContextInput, longContextOutput, perAudioMinute, perMillionCharacters, perSegmentOutbound,
                        perSegmentInbound, perMinuteOutbound, perMinuteInbound)
                .filter(Objects::nonNull)
                .allMatch(rate -> rate.signum() == 0);
    }

    /** The rates each kind may carry; one of {@code required} must be present. */
    private record KindRates(Set<String> allowed, Set<String> required) { }

    private static KindRates ratesOf(CatalogKind kind) {
        return switch (kind) {
            case LLM -> new KindRates(Set.of("input", "cached_input", "cache_creation_input", "output", "input_audio",
                    "output_audio", "long_context_threshold_tokens", "long_context_input", "long_context_output"),
                    Set.of("input", "output"));
            case STT -> new KindRates(Set.of("per_audio_minute"), Set.of("per_audio_minute"));
            case TTS -> new KindRates(Set.of("per_million_characters"), Set.of("per_million_characters"));
            case SMS -> new KindRates(Set.of("per_segment_outbound", "per_segment_inbound"),
                    Set.of("per_segment_outbound", "per_segment_inbound"));
            case CALL -> new KindRates(Set.of("per_minute_outbound", "per_minute_inbound"),
                    Set.of("per_minute_outbound", "per_minute_inbound"));
        };
    }

    private static void requireRatesOfItsKind(CatalogKind kind, Map<String, Object> rates) {
        KindRates expected = ratesOf(kind);
        boolean anyRequired = false;
        for (Map.Entry<String, Object> rate : rates.entrySet()) {
            if (rate.getValue() == null) {
                continue;
            }
            if (!expected.allowed().contains(rate.getKey())) {
                throw new InvalidPriceEntryException(rate.getKey(), "not a rate of a " + kind + " entry");
            }
            anyRequired |= expected.required().contains(rate.getKey());
        }
        if (!anyRequired) {
            throw new InvalidPriceEntryException(String.join("|", expected.required().stream().sorted().toList()),
                    "a " + kind + " entry needs at least one of these rates");
        }
    }

    private static void requireLanguageModelRates(BigDecimal input, BigDecimal output, Long threshold,
            BigDecimal longContextInput, BigDecimal longContextOutput) {
        // the price book charges both token directions: an entry with one would price the other at zero
        if (input == null || output == null) {
            throw new InvalidPriceEntryException(input == null ? "input" : "output", "required for an LLM entry");
        }
        boolean hasTierRate = longContextInput != null || longContextOutput != null;
        if (threshold == null && hasTierRate) {
            throw new InvalidPriceEntryException("long_context_threshold_tokens", "required with a long-context rate");
        }
        if (threshold != null && !hasTierRate) {
            throw new InvalidPriceEntryException("long_context_threshold_tokens", "given without a long-context rate");
        }
        if (threshold != null && threshold <= 0) {
            throw new InvalidPriceEntryException("long_context_threshold_tokens", "must be positive, was " + threshold);
        }
    }

    private static BigDecimal canonical(String field, BigDecimal value) {
        if (value == null) {
            return null;
        }
        if (value.signum() < 0) {
            throw new InvalidPriceEntryException(field, "must not be negative, was " + value.toPlainString());
        }
        BigDecimal stripped = value.stripTrailingZeros();
        // the scale every store keeps exactly (DuckDB's DECIMAL(18,6)), as in PriceEntry
        if (stripped.scale() > MAX_DECIMALS) {
            throw new InvalidPriceEntryException(field, "at most " + MAX_DECIMALS + " decimal places, was "
                    + value.toPlainString());
        }
        if (stripped.compareTo(MAX_RATE) > 0) {
            throw new InvalidPriceEntryException(field, "at most " + MAX_RATE.toPlainString() + ", was "
                    + value.toPlainString());
        }
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private static void requireNonBlank(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidPriceEntryException(field, "required and must not be blank");
        }
    }
}
