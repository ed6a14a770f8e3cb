package dev.tally.pricing.catalog;

import java.math.BigDecimal;
import java.time.LocalDate;

/** Assembles a {@link CatalogEntry} rate by rate, because an importer learns its rates one key at a time. */
final class CatalogEntryBuilder {
    private final CatalogKind kind;
    private final String provider;
    private final String model;
    private final LocalDate effectiveFrom;
    private final String source;
    private String prefix;
    private BigDecimal input;
    private BigDecimal cachedInput;
    private BigDecimal cacheCreationInput;
    private BigDecimal output;
    private BigDecimal inputAudio;
    private BigDecimal outputAudio;
    private Long longContextThresholdTokens;
    private BigDecimal longContextInput;
    private BigDecimal longContextOutput;
    private BigDecimal perAudioMinute;
    private BigDecimal perMillionCharacters;
    private BigDecimal perSegmentOutbound;
    private BigDecimal perSegmentInbound;
    private BigDecimal perMinuteOutbound;
    private BigDecimal perMinuteInbound;

    CatalogEntryBuilder(CatalogKind kind, String provider, String model, LocalDate effectiveFrom, String source) {
        this.kind = kind;
        this.provider = provider;
        this.model = model;
        this.effectiveFrom = effectiveFrom;
        this.source = source;
    }

    CatalogEntryBuilder prefix(String value) {
        prefix = value;
        return this;
    }

    /** The text token rates, per million; null where the catalog gives none. */
    CatalogEntryBuilder tokens(BigDecimal input, BigDecimal cachedInput, BigDecimal cacheCreationInput, BigDecimal output) {
        this.input = input;
        this.cachedInput = cachedInput;
        this.cacheCreationInput = cacheCreationInput;
        this.output = output;
        return this;
    }

    CatalogEntryBuilder audioTokens(BigDecimal inputAudio, BigDecimal outputAudio) {
        this.inputAudio = inputAudio;
        this.outputAudio = outputAudio;
        return this;
    }

    CatalogEntryBuilder longContext(Long thresholdTokens, BigDecimal tierInput, BigDecimal tierOutput) {
        longContextThresholdTokens = thresholdTokens;
        longContextInput = tierInput;
        longContextOutput = tierOutput;
        return this;
    }

    CatalogEntryBuilder perAudioMinute(BigDecimal value) {
        perAudioMinute = value;
        return this;
    }

    CatalogEntryBuilder perMillionCharacters(BigDecimal value) {
        perMillionCharacters = value;
        return this;
    }

    CatalogEntryBuilder perSegment(BigDecimal outbound, BigDecimal inbound) {
        perSegmentOutbound = outbound;
        perSegmentInbound = inbound;
        return this;
    }

    CatalogEntryBuilder perMinute(BigDecimal outbound, BigDecimal inbound) {
        perMinuteOutbound = outbound;
        perMinuteInbound = inbound;
        return this;
    }

    CatalogEntry build() {
        return new CatalogEntry(kind, provider, model, prefix, effectiveFrom, source, input, cachedInput,
                cacheCreationInput, output, inputAudio, outputAudio, longContextThresholdTokens, longContextInput,
                longContextOutput, perAudioMinute, perMillionCharacters, perSegmentOutbound, perSegmentInbound,
                perMinuteOutbound, perMinuteInbound);
    }
}
