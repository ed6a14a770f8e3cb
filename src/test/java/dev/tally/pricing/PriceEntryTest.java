package dev.tally.pricing;

import static dev.tally.pricing.TestPrices.entry;
import static dev.tally.pricing.TestPrices.usageEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PriceEntryTest {

    static Stream<Arguments> negativeRates() {
        return Stream.of(
                Arguments.of("input_per_million", (UnaryOperator<TestPrices.Builder>) builder -> builder.input("-0.01")),
                Arguments.of("cached_input_per_million", (UnaryOperator<TestPrices.Builder>) builder -> builder.cached("-1")),
                Arguments.of("cache_creation_per_million", (UnaryOperator<TestPrices.Builder>) builder -> builder.cacheCreation("-1")),
                Arguments.of("output_per_million", (UnaryOperator<TestPrices.Builder>) builder -> builder.output("-1")),
                Arguments.of("input_audio_per_million", (UnaryOperator<TestPrices.Builder>) builder -> builder.inputAudio("-1")),
                Arguments.of("output_audio_per_million", (UnaryOperator<TestPrices.Builder>) builder -> builder.outputAudio("-1")),
                Arguments.of("credit_multiplier", (UnaryOperator<TestPrices.Builder>) builder -> builder.credits("-0.5")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("negativeRates")
    void rejectsANegativeRateNamingTheField(String field, UnaryOperator<TestPrices.Builder> negative) {
        assertThatThrownBy(() -> negative.apply(entry("openai", "gpt-4o")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .isInstanceOf(InvalidPriceEntryException.class)
                .hasMessageContaining(field)
                .hasMessageContaining("negative")
                .satisfies(thrown -> assertThat(((InvalidPriceEntryException) thrown).field()).isEqualTo(field));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void rejectsABlankProviderOrModel(String blank) {
        assertThatThrownBy(() -> entry(blank, "gpt-4o").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("provider");
        assertThatThrownBy(() -> entry("openai", blank).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model");
    }

    @Test
    void rejectsAMissingProviderModelOrDate() {
        assertThatThrownBy(() -> entry(null, "gpt-4o").build()).hasMessageContaining("provider");
        assertThatThrownBy(() -> entry("openai", null).build()).hasMessageContaining("model");
        assertThatThrownBy(() -> new PriceEntry(null, null, "openai", "gpt-4o", null,
                BigDecimal.ONE, null, null, BigDecimal.ONE, null, null, BigDecimal.ONE))
                .isInstanceOf(InvalidPriceEntryException.class).hasMessageContaining("effective_from");
    }

    @Test
    void rejectsRatesNoStoreKeepsExactly() {
        assertThatThrownBy(() -> entry("openai", "gpt-4o").input("0.0000001").build())
                .isInstanceOf(InvalidPriceEntryException.class)
                .hasMessageContaining("input_per_million").hasMessageContaining("6 decimal places");
        assertThatThrownBy(() -> entry("openai", "gpt-4o").credits("1000000000000").build())
                .isInstanceOf(InvalidPriceEntryException.class).hasMessageContaining("credit_multiplier");
        assertThat(entry("openai", "gpt-4o").input("0.1234560000").build().inputPerMillion())
                .isEqualByComparingTo("0.123456");
    }

    @Test
    void requiresTheInputAndOutputRatesAndTheMultiplierButNoOtherRate() {
        assertThatThrownBy(() -> entry("openai", "gpt-4o").input(null).build()).hasMessageContaining("input_per_million");
        assertThatThrownBy(() -> entry("openai", "gpt-4o").output(null).build()).hasMessageContaining("output_per_million");
        assertThatThrownBy(() -> entry("openai", "gpt-4o").credits(null).build()).hasMessageContaining("credit_multiplier");

        PriceEntry minimal = entry("openai", "gpt-4o").build();
        assertThat(minimal.cachedInputPerMillion()).isNull();
        assertThat(minimal.outputAudioPerMillion()).isNull();
    }

    @Test
    void acceptsZeroRates() {
        PriceEntry free = entry("local", "llama").input("0").output("0").credits("0").build();
        assertThat(free.inputPerMillion()).isZero();
    }

    @Test
    void rejectsAStarAnywhereButAtTheEnd() {
        assertThatThrownBy(() -> entry("anthropic", "claude-*-sonnet").build())
                .isInstanceOf(InvalidPriceEntryException.class).hasMessageContaining("model");
    }

    @Test
    void rejectsABlankIdOrTenantButAcceptsNull() {
        assertThatThrownBy(() -> entry("openai", "gpt-4o").id(" ").build()).hasMessageContaining("id");
        assertThatThrownBy(() -> entry("openai", "gpt-4o").tenant("").build()).hasMessageContaining("tenant_id");
        PriceEntry unsaved = entry("openai", "gpt-4o").build();
        assertThat(unsaved.id()).isNull();
        assertThat(unsaved.tenantId()).isNull();
    }

    @Test
    void aPatternCoversEveryModelStartingWithItsPrefix() {
        PriceEntry pattern = entry("anthropic", "claude-sonnet-4*").build();
        assertThat(pattern.modelIsPattern()).isTrue();
        assertThat(pattern.modelPrefix()).isEqualTo("claude-sonnet-4");
        assertThat(pattern.coversModel("claude-sonnet-4-20250514")).isTrue();
        assertThat(pattern.coversModel("claude-sonnet-4")).isTrue();
        assertThat(pattern.coversModel("claude-3-7-sonnet")).isFalse();

        PriceEntry exact = entry("openai", "gpt-4o").build();
        assertThat(exact.modelIsPattern()).isFalse();
        assertThat(exact.coversModel("gpt-4o")).isTrue();
        assertThat(exact.coversModel("gpt-4o-mini")).isFalse();
        assertThat(exact.coversModel(null)).isFalse();

        assertThat(entry("local", "*").build().coversModel("anything")).isTrue();
    }

    @Test
    void anEntryPricesOneUnitOnly() {
        assertThatThrownBy(() -> usageEntry("twilio", "*").rate("per_audio_minute", "0.01")
                .rate("per_minute_outbound", "0.01").rate("per_minute_inbound", "0.01").build())
                .isInstanceOf(InvalidPriceEntryException.class)
                .satisfies(thrown -> assertThat(((InvalidPriceEntryException) thrown).field())
                        .isEqualTo("per_minute_outbound"));
        assertThat(entry("openai", "whisper-1").build().unit()).isEqualTo(PriceUnit.TOKENS);
    }

    @Test
    void smsAndCallEntriesNeedADirectionAndNoMultiplier() {
        // a carrier's catalog often lists one direction: the other stays unpriced (see UsagePricer)
        assertThat(usageEntry("twilio", "*").rate("per_segment_outbound", "0.0079").build().unit())
                .isEqualTo(PriceUnit.SEGMENT);
        assertThat(usageEntry("telnyx", "*").rate("per_minute_inbound", "0.0085").build().unit())
                .isEqualTo(PriceUnit.CALL_MINUTE);
        assertThatThrownBy(() -> usageEntry("deepgram", "*").rate("per_audio_minute", "0.0043")
                .credits("1").build())
                .isInstanceOf(InvalidPriceEntryException.class).hasMessageContaining("credit_multiplier");
        assertThatThrownBy(() -> usageEntry("deepgram", "*").rate("per_audio_minute", "-0.0043").build())
                .isInstanceOf(InvalidPriceEntryException.class).hasMessageContaining("negative");
    }

    @Test
    void aLongContextTierNeedsItsThresholdAndBothRates() {
        PriceEntry tiered = entry("anthropic", "claude-sonnet-4*").rate("long_context_threshold_tokens", "200000")
                .rate("long_context_input_per_million", "6").rate("long_context_output_per_million", "22.5").build();
        assertThat(tiered.longContextThresholdTokens()).isEqualTo(200_000L);
        assertThat(tiered.isLongContext(200_000)).isFalse();
        assertThat(tiered.isLongContext(200_001)).isTrue();
        assertThatThrownBy(() -> entry("anthropic", "claude-sonnet-4*").rate("long_context_threshold_tokens", "200000")
                .rate("long_context_input_per_million", "6").build())
                .isInstanceOf(InvalidPriceEntryException.class).hasMessageContaining("long_context_output_per_million");
        assertThatThrownBy(() -> entry("anthropic", "claude-sonnet-4*").rate("long_context_input_per_million", "6")
                .rate("long_context_output_per_million", "22.5").build())
                .isInstanceOf(InvalidPriceEntryException.class).hasMessageContaining("long_context_threshold_tokens");
        assertThatThrownBy(() -> entry("anthropic", "claude-sonnet-4*").rate("long_context_threshold_tokens", "0.5")
                .rate("long_context_input_per_million", "6").rate("long_context_output_per_million", "22.5").build())
                .isInstanceOf(InvalidPriceEntryException.class).hasMessageContaining("whole number");
        assertThatThrownBy(() -> usageEntry("twilio", "*").rate("long_context_threshold_tokens", "1000")
                .rate("per_minute_outbound", "0.01").build())
                .isInstanceOf(InvalidPriceEntryException.class);
    }

    @Test
    void onlyACallEntryNamesAPrefixAndItIsTheStartOfAnE164Number() {
        assertThatThrownBy(() -> usageEntry("twilio", "*").prefix("+44").rate("per_segment_outbound", "0.04")
                .rate("per_segment_inbound", "0.01").build())
                .isInstanceOf(InvalidPriceEntryException.class).hasMessageContaining("prefix");
        for (String bad : new String[] {"44", "+", "+44a", "+1234567890123456", "+4 4"}) {
            assertThatThrownBy(() -> usageEntry("twilio", "*").prefix(bad).rate("per_minute_outbound", "0.02")
                    .rate("per_minute_inbound", "0.01").build())
                    .as(bad).isInstanceOf(InvalidPriceEntryException.class).hasMessageContaining("prefix");
        }
        PriceEntry london = usageEntry("twilio", "*").prefix("+44").rate("per_minute_outbound", "0.02")
                .rate("per_minute_inbound", "0.01").build();
        assertThat(london.unit()).isEqualTo(PriceUnit.CALL_MINUTE);
        assertThat(london.coversNumber("+442071234567")).isTrue();
        assertThat(london.coversNumber("+14155550100")).isFalse();
        assertThat(london.coversNumber(null)).isFalse();
    }

    @Test
    void entriesOfOtherUnitsOrPrefixesOnTheSameDayDoNotConflict() {
        PriceEntry sms = usageEntry("twilio", "*").rate("per_segment_outbound", "0.0079")
                .rate("per_segment_inbound", "0.0075").build();
        PriceEntry calls = usageEntry("twilio", "*").rate("per_minute_outbound", "0.014")
                .rate("per_minute_inbound", "0.0085").build();
        PriceEntry london = usageEntry("twilio", "*").prefix("+44").rate("per_minute_outbound", "0.02")
                .rate("per_minute_inbound", "0.01").build();
        PriceEntry callsAgain = usageEntry("twilio", "*").rate("per_minute_outbound", "0.015")
                .rate("per_minute_inbound", "0.009").build();

        assertThat(sms.conflictsWith(calls)).isFalse();
        assertThat(calls.conflictsWith(london)).isFalse();
        assertThat(calls.conflictsWith(callsAgain)).isTrue();
        assertThat(new PriceBook(java.util.List.of(sms, calls, london)).entries()).hasSize(3);
        assertThatThrownBy(() -> new PriceBook(java.util.List.of(calls, callsAgain)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
