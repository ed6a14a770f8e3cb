package dev.tally.pricing.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.pricing.InvalidPriceEntryException;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class CatalogEntryTest {
    private static final LocalDate DAY = LocalDate.of(2026, 1, 1);

    private static CatalogEntryBuilder llm() {
        return new CatalogEntryBuilder(CatalogKind.LLM, "openai", "gpt-4o", DAY, "test")
                .tokens(new BigDecimal("2.5"), null, null, new BigDecimal("10"));
    }

    private static void assertRejected(CatalogEntryBuilder entry, String field, String reasonPart) {
        assertThatThrownBy(entry::build)
                .isInstanceOfSatisfying(InvalidPriceEntryException.class, invalid -> {
                    assertThat(invalid.field()).isEqualTo(field);
                    assertThat(invalid.reason()).contains(reasonPart);
                });
    }

    @Test
    void ratesWrittenDifferentlyMakeEqualEntries() {
        CatalogEntry written = llm().tokens(new BigDecimal("2.500000"), null, null, new BigDecimal("1E+1")).build();

        assertThat(written).isEqualTo(llm().build());
        assertThat(written.output().toPlainString()).isEqualTo("10");
    }

    @Test
    void rejectsNegativeAndOverPreciseRates() {
        assertRejected(llm().tokens(BigDecimal.ONE, new BigDecimal("-0.1"), null, BigDecimal.TEN), "cached_input", "must not be negative");
        assertRejected(llm().tokens(BigDecimal.ONE, null, null, new BigDecimal("0.0000001")), "output", "at most 6 decimal places");
    }

    @Test
    void acceptsOnlyTheRatesOfItsKind() {
        assertRejected(llm().perAudioMinute(new BigDecimal("0.006")), "per_audio_minute", "not a rate of a LLM entry");
        assertRejected(new CatalogEntryBuilder(CatalogKind.STT, "deepgram", "nova-3", DAY, "test")
                .perMillionCharacters(BigDecimal.ONE), "per_million_characters", "not a rate of a STT entry");
        assertRejected(new CatalogEntryBuilder(CatalogKind.TTS, "openai", "tts-1", DAY, "test"),
                "per_million_characters", "needs at least one of these rates");
        assertRejected(new CatalogEntryBuilder(CatalogKind.SMS, "twilio", "*", DAY, "test"),
                "per_segment_inbound|per_segment_outbound", "needs at least one");
    }

    @Test
    void aLanguageModelNeedsBothDirectionsAndAWholeLongContextTier() {
        assertRejected(llm().tokens(BigDecimal.ONE, null, null, null), "output", "required for an LLM entry");
        assertRejected(llm().longContext(null, new BigDecimal("5"), null), "long_context_threshold_tokens",
                "required with a long-context rate");
        assertRejected(llm().longContext(200_000L, null, null), "long_context_threshold_tokens",
                "given without a long-context rate");
        assertRejected(llm().longContext(0L, new BigDecimal("5"), null), "long_context_threshold_tokens",
                "must be positive");
    }

    @Test
    void onlyCallsNameAnE164Prefix() {
        CatalogEntryBuilder call = new CatalogEntryBuilder(CatalogKind.CALL, "twilio", "*", DAY, "test")
                .perMinute(new BigDecimal("0.013"), null);

        assertThat(call.prefix("+44").build().prefix()).isEqualTo("+44");
        assertRejected(call.prefix("44"), "prefix", "an E.164 prefix such as +44");
        assertRejected(llm().prefix("+1"), "prefix", "only call entries");
    }

    @Test
    void aStarMayOnlyEndAModelPattern() {
        assertThat(new CatalogEntryBuilder(CatalogKind.LLM, "anthropic", "claude-sonnet-4*", DAY, "test")
                .tokens(BigDecimal.ONE, null, null, BigDecimal.TEN).build().model()).isEqualTo("claude-sonnet-4*");
        assertRejected(new CatalogEntryBuilder(CatalogKind.LLM, "anthropic", "claude-*-4", DAY, "test")
                .tokens(BigDecimal.ONE, null, null, BigDecimal.TEN), "model", "only as the last character");
    }

    @Test
    void anEntryWithOnlyZeroRatesSaysSo() {
        assertThat(llm().tokens(BigDecimal.ZERO, null, null, BigDecimal.ZERO).build().hasOnlyZeroRates()).isTrue();
        assertThat(llm().tokens(BigDecimal.ZERO, null, null, BigDecimal.TEN).build().hasOnlyZeroRates()).isFalse();
    }
}
