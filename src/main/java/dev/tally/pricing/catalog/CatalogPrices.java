package dev.tally.pricing.catalog;

import dev.tally.pricing.PriceEntry;
import dev.tally.pricing.PriceUnit;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a catalog's entries into price book entries: one rule for the bundled catalog and for imports. */
public final class CatalogPrices {
    private static final BigDecimal ONE_DOLLAR = BigDecimal.ONE;
    private static final BigDecimal FIVE_DOLLARS = BigDecimal.valueOf(5);
    private static final BigDecimal TWENTY_DOLLARS = BigDecimal.valueOf(20);

    private CatalogPrices() {
    }

    /**
     * The platform entry (no tenant) for a catalog entry, with a stable id: {@code provider/model@date}
     * for token entries, as the hand-kept defaults have, and the unit in front for the others
     * ({@code stt:deepgram/nova-2@2024-01-01}, {@code call:twilio/*:+1@2026-12-04}), since one name
     * may be priced in two units.
     */
    public static PriceEntry priceEntry(CatalogEntry entry) {
        Map<String, BigDecimal> rates = new LinkedHashMap<>();
        PriceUnit unit = switch (entry.kind()) {
            case LLM -> {
                rates.put("input_per_million", entry.input());
                rates.put("cached_input_per_million", entry.cachedInput());
                rates.put("cache_creation_per_million", entry.cacheCreationInput());
                rates.put("output_per_million", entry.output());
                rates.put("input_audio_per_million", entry.inputAudio());
                rates.put("output_audio_per_million", entry.outputAudio());
                rates.put(PriceUnit.LONG_CONTEXT_THRESHOLD, entry.longContextThresholdTokens() == null ? null
                        : BigDecimal.valueOf(entry.longContextThresholdTokens()));
                rates.put("long_context_input_per_million", entry.longContextInput());
                rates.put("long_context_output_per_million", entry.longContextOutput());
                rates.put(PriceEntry.CREDIT_MULTIPLIER, creditMultiplier(entry.output(), entry.outputAudio() != null));
                yield PriceUnit.TOKENS;
            }
            case STT -> {
                rates.put("per_audio_minute", entry.perAudioMinute());
                yield PriceUnit.AUDIO_MINUTE;
            }
            case TTS -> {
                rates.put("per_million_characters", entry.perMillionCharacters());
                yield PriceUnit.CHARACTERS;
            }
            case SMS -> {
                rates.put("per_segment_outbound", entry.perSegmentOutbound());
                rates.put("per_segment_inbound", entry.perSegmentInbound());
                yield PriceUnit.SEGMENT;
            }
            case CALL -> {
                rates.put("per_minute_outbound", entry.perMinuteOutbound());
                rates.put("per_minute_inbound", entry.perMinuteInbound());
                yield PriceUnit.CALL_MINUTE;
            }
        };
        return PriceEntry.of(id(unit, entry), null, entry.provider(), entry.model(), entry.effectiveFrom(),
                entry.prefix(), rates, entry.source());
    }

    /**
     * Credits weigh a model by its text output list price per million: under $1 → 0.1, under $5 →
     * 0.25, under $20 → 1, from $20 → 4, doubled for speech-to-speech models (those with an output
     * audio rate). The hand-kept defaults follow the same rule.
     */
    public static BigDecimal creditMultiplier(BigDecimal outputPerMillion, boolean speechToSpeech) {
        BigDecimal tier = outputPerMillion.compareTo(ONE_DOLLAR) < 0 ? new BigDecimal("0.1")
                : outputPerMillion.compareTo(FIVE_DOLLARS) < 0 ? new BigDecimal("0.25")
                : outputPerMillion.compareTo(TWENTY_DOLLARS) < 0 ? BigDecimal.ONE
                : BigDecimal.valueOf(4);
        return speechToSpeech ? tier.multiply(BigDecimal.valueOf(2)) : tier;
    }

    private static String id(PriceUnit unit, CatalogEntry entry) {
        String name = entry.provider() + "/" + entry.model() + (entry.prefix() == null ? "" : ":" + entry.prefix())
                + "@" + entry.effectiveFrom();
        return switch (unit) {
            case TOKENS -> name;
            case AUDIO_MINUTE -> "stt:" + name;
            case CHARACTERS -> "tts:" + name;
            case SEGMENT -> "sms:" + name;
            case CALL_MINUTE -> "call:" + name;
        };
    }
}
