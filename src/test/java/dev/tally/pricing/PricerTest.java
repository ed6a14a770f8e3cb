package dev.tally.pricing;

import static dev.tally.pricing.TestPrices.entry;
import static dev.tally.pricing.TestPrices.llmEvent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every expected figure is worked out by hand in the comment above it. In nano-USD, a token
 * priced at $R per million costs R × 1,000 nano-USD; in micro-credits, a token at multiplier M
 * earns M × 1,000 micro-credits.
 */
class PricerTest {
    private static final String JUNE = "2025-06-15T12:00:00Z";

    private static PriceBook bookOf(PriceEntry... entries) {
        return new PriceBook(List.of(entries));
    }

    @Test
    void cachedTokensArePricedOnceAtTheCachedRate() {
        PriceBook book = bookOf(entry("openai", "gpt-4o").input("2.50").cached("1.25").output("10").credits("1.0").build());
        Event event = llmEvent("acme", "openai", "gpt-4o", JUNE);
        event.inputTokens = 1_000_000;
        event.cachedInputTokens = 400_000;
        event.outputTokens = 100_000;

        Pricer.price(event, book);

        // 600,000 uncached × $2.50/M = $1.50; 400,000 cached × $1.25/M = $0.50; 100,000 × $10/M = $1.00.
        // $3.00 = 3,000,000,000 nano (charging the cached ones at input rate too would give $4.00).
        assertThat(event.costNanos).isEqualTo(3_000_000_000L);
        assertThat(event.costSource).isEqualTo(CostSource.COMPUTED);
        // 1,100,000 tokens / 1,000 × 1.0 = 1,100 credits.
        assertThat(event.creditsMicros).isEqualTo(1_100_000_000L);
    }

    @Test
    void aPromptAboveTheThresholdPaysTheLongContextRates() {
        PriceBook book = bookOf(entry("anthropic", "claude-sonnet-4*").input("3").cached("0.30").cacheCreation("3.75")
                .output("15").credits("1").rate("long_context_threshold_tokens", "200000")
                .rate("long_context_input_per_million", "6").rate("long_context_output_per_million", "22.50").build());
        Event atThreshold = llmEvent("acme", "anthropic", "claude-sonnet-4-20250514", JUNE);
        atThreshold.inputTokens = 150_000;
        atThreshold.cacheCreationInputTokens = 50_000;
        atThreshold.outputTokens = 1_000;
        Event above = llmEvent("acme", "anthropic", "claude-sonnet-4-20250514", JUNE);
        above.inputTokens = 150_000;
        above.cachedInputTokens = 100_000;
        above.cacheCreationInputTokens = 50_001;
        above.outputTokens = 1_000;

        Pricer.price(atThreshold, book);
        Pricer.price(above, book);

        // prompt 200,000 is not above: 150,000 × 3,000 + 50,000 × 3,750 + 1,000 × 15,000
        // = 450,000,000 + 187,500,000 + 15,000,000 = 652,500,000 nano.
        assertThat(atThreshold.costNanos).isEqualTo(652_500_000L);
        // prompt 200,001: 50,000 uncached × 6,000 = 300,000,000; 100,000 cached × 300 = 30,000,000;
        // 50,001 cache writes × 3,750 = 187,503,750; 1,000 × 22,500 = 22,500,000 → 540,003,750 nano.
        assertThat(above.costNanos).isEqualTo(540_003_750L);
        // the input side alone: 300,000,000 + 30,000,000 + 187,503,750
        assertThat(above.inputCostNanos).isEqualTo(517_503_750L);
    }

    @Test
    void audioTokensArePricedAtTheAudioRates() {
        PriceBook book = bookOf(entry("openai", "gpt-4o-realtime-preview*").input("5").cached("2.50").output("20")
                .inputAudio("40").outputAudio("80").credits("8").build());
        Event event = llmEvent("acme", "openai", "gpt-4o-realtime-preview-2024-12-17", JUNE);
        event.inputTokens = 1_000;
        event.cachedInputTokens = 200;
        event.outputTokens = 500;
        event.inputAudioTokens = 10_000;
        event.outputAudioTokens = 5_000;

        Pricer.price(event, book);

        // 800 × 5,000 = 4,000,000; 200 × 2,500 = 500,000; 500 × 20,000 = 10,000,000;
        // 10,000 × 40,000 = 400,000,000; 5,000 × 80,000 = 400,000,000 → 814,500,000 nano ($0.8145).
        assertThat(event.costNanos).isEqualTo(814_500_000L);
        // 1,000 + 500 + 10,000 + 5,000 = 16,500 tokens / 1,000 × 8 = 132 credits.
        assertThat(event.creditsMicros).isEqualTo(132_000_000L);
    }

    @Test
    void cacheCreationTokensArePricedSeparatelyAtTheirOwnRate() {
        PriceBook book = bookOf(entry("anthropic", "claude-sonnet-4*").input("3").cached("0.30").cacheCreation("3.75")
                .output("15").credits("1.0").build());
        Event event = llmEvent("acme", "anthropic", "claude-sonnet-4-20250514", JUNE);
        event.inputTokens = 2_000;
        event.cachedInputTokens = 1_500;
        event.cacheCreationInputTokens = 10_000;
        event.outputTokens = 1_000;

        Pricer.price(event, book);

        // 500 × 3,000 = 1,500,000; 1,500 × 300 = 450,000; 10,000 × 3,750 = 37,500,000;
        // 1,000 × 15,000 = 15,000,000 → 54,450,000 nano.
        assertThat(event.costNanos).isEqualTo(54_450_000L);
        // 2,000 + 10,000 + 1,000 = 13,000 tokens / 1,000 × 1.0 = 13 credits.
        assertThat(event.creditsMicros).isEqualTo(13_000_000L);
    }

    @Test
    void roundsHalfEvenToWholeNanos() {
        PriceBook book = bookOf(entry("google", "gemini-1.5-flash-8b").input("0.0375").output("0.0005").build());

        // 1 × 37.5 = 37.5 → 38 (the even neighbour; 37 is odd).
        assertThat(costOf(book, 1, 0)).isEqualTo(38);
        // 3 × 37.5 = 112.5 → 112 (half-up would say 113).
        assertThat(costOf(book, 3, 0)).isEqualTo(112);
        // 1 × 0.5 = 0.5 → 0.
        assertThat(costOf(book, 0, 1)).isZero();
        // Rounded once, over the sum: 112.5 + 0.5 = 113.0 → 113, where rounding each class would give 112 + 0.
        assertThat(costOf(book, 3, 1)).isEqualTo(113);
    }

    private static long costOf(PriceBook book, long inputTokens, long outputTokens) {
        Event event = llmEvent("acme", "google", "gemini-1.5-flash-8b", JUNE);
        event.inputTokens = inputTokens;
        event.outputTokens = outputTokens;
        Pricer.price(event, book);
        return event.costNanos;
    }

    @Test
    void roundsCreditsHalfEvenToWholeMicroCredits() {
        Event event = llmEvent("acme", "openai", "gpt-4o", JUNE);
        event.inputTokens = 1;

        // 1 token × 0.0015 × 1,000 = 1.5 → 2; × 0.0025 × 1,000 = 2.5 → 2.
        Pricer.price(event, bookOf(entry("openai", "gpt-4o").credits("0.0015").build()));
        assertThat(event.creditsMicros).isEqualTo(2);
        Pricer.price(event, bookOf(entry("openai", "gpt-4o").credits("0.0025").build()));
        assertThat(event.creditsMicros).isEqualTo(2);
    }

    @Test
    void missingRatesFallBackToTheInputOrTheTextRate() {
        PriceBook book = bookOf(entry("openai", "gpt-4o").input("2").output("8").build());
        Event event = llmEvent("acme", "openai", "gpt-4o", JUNE);
        event.inputTokens = 1_000;
        event.cachedInputTokens = 400;
        event.cacheCreationInputTokens = 100;
        event.outputTokens = 50;
        event.inputAudioTokens = 200;
        event.outputAudioTokens = 30;

        Pricer.price(event, book);

        // Input side at $2: (600 uncached + 400 cached + 100 creation + 200 audio) × 2,000 = 2,600,000;
        // output side at $8: (50 text + 30 audio) × 8,000 = 640,000 → 3,240,000 nano.
        assertThat(event.costNanos).isEqualTo(3_240_000L);
    }

    @Test
    void aReportedCostWinsButCreditsAreStillComputed() {
        PriceBook book = bookOf(entry("openai", "gpt-4o").input("2.50").output("10").credits("2").build());
        Event event = llmEvent("acme", "openai", "gpt-4o", JUNE);
        event.inputTokens = 1_000;
        event.outputTokens = 500;
        event.costNanos = 123_456_789L;
        event.costSource = CostSource.REPORTED;

        Pricer.price(event, book);

        assertThat(event.costNanos).isEqualTo(123_456_789L);
        assertThat(event.costSource).isEqualTo(CostSource.REPORTED);
        // 1,500 tokens / 1,000 × 2 = 3 credits.
        assertThat(event.creditsMicros).isEqualTo(3_000_000L);
    }

    @Test
    void aReportedCostOfAnUnpricedModelStaysReportedWithoutCredits() {
        Event event = llmEvent("acme", "openai", "gpt-9", JUNE);
        event.inputTokens = 1_000;
        event.costNanos = 42L;
        event.costSource = CostSource.REPORTED;

        Pricer.price(event, bookOf(entry("openai", "gpt-4o").build()));

        assertThat(event.costNanos).isEqualTo(42L);
        assertThat(event.costSource).isEqualTo(CostSource.REPORTED);
        assertThat(event.creditsMicros).isZero();
    }

    @Test
    void anUnpricedModelCostsNothingAndIsMarkedUnpriced() {
        Event event = llmEvent("acme", "openai", "gpt-9", JUNE);
        event.inputTokens = 1_000;
        event.outputTokens = 1_000;
        event.creditsMicros = 99;

        Pricer.price(event, bookOf(entry("openai", "gpt-4o").build()));

        assertThat(event.costNanos).isZero();
        assertThat(event.costSource).isEqualTo(CostSource.UNPRICED);
        assertThat(event.creditsMicros).isZero();
    }

    @Test
    void usesThePriceInForceAtTheEventsTime() {
        PriceBook book = bookOf(
                entry("openai", "o3").from("2025-04-16").input("10").output("40").credits("4").build(),
                entry("openai", "o3").from("2025-06-10").input("2").output("8").credits("1").build());
        Event before = llmEvent("acme", "openai", "o3", "2025-05-01T08:00:00Z");
        before.inputTokens = 1_000;
        Event after = llmEvent("acme", "openai", "o3", "2025-06-10T00:00:00Z");
        after.inputTokens = 1_000;

        Pricer.price(before, book);
        Pricer.price(after, book);

        // 1,000 × 10,000 = 10,000,000 nano and 1 credit × 4; after the cut 1,000 × 2,000 = 2,000,000 and × 1.
        assertThat(before.costNanos).isEqualTo(10_000_000L);
        assertThat(before.creditsMicros).isEqualTo(4_000_000L);
        assertThat(after.costNanos).isEqualTo(2_000_000L);
        assertThat(after.creditsMicros).isEqualTo(1_000_000L);
    }

    @Test
    void usesTheTenantsOwnPrice() {
        PriceBook book = bookOf(
                entry("openai", "gpt-4o").input("2.50").build(),
                entry("openai", "gpt-4o").tenant("acme").input("2").build());
        Event acme = llmEvent("acme", "openai", "gpt-4o", JUNE);
        acme.inputTokens = 1_000;
        Event globex = llmEvent("globex", "openai", "gpt-4o", JUNE);
        globex.inputTokens = 1_000;

        Pricer.price(acme, book);
        Pricer.price(globex, book);

        assertThat(acme.costNanos).isEqualTo(2_000_000L);
        assertThat(globex.costNanos).isEqualTo(2_500_000L);
    }

    @Test
    void aTokenEntryNeverPricesATranscriptionOfTheSameModel() {
        PriceBook book = bookOf(entry("deepgram", "nova-3").build());
        Event transcription = llmEvent("acme", "deepgram", "nova-3", JUNE);
        transcription.type = EventType.STT;
        transcription.durationMs = 60_000L;

        Pricer.price(transcription, book);

        assertThat(transcription.costNanos).isZero();
        assertThat(transcription.costSource).isEqualTo(CostSource.UNPRICED);
        assertThat(transcription.creditsMicros).isZero();
    }

    @Test
    void leavesTypesWithoutAPriceOfTheirOwnAlone() {
        PriceBook book = bookOf(entry("openai", "*").build());
        for (EventType type : List.of(EventType.CHAT, EventType.MESSAGE, EventType.FEE)) {
            Event event = llmEvent("acme", "openai", "gpt-4o", JUNE);
            event.type = type;
            event.inputTokens = 1_000;
            event.costNanos = 7;
            event.creditsMicros = 3;

            Pricer.price(event, book);

            assertThat(event.costNanos).as(type.wireName()).isEqualTo(7);
            assertThat(event.costSource).as(type.wireName()).isEqualTo(CostSource.NONE);
            assertThat(event.creditsMicros).as(type.wireName()).isEqualTo(3);
        }
    }

    @Test
    void moreCachedThanInputTokensNeverMakesANegativeCost() {
        PriceBook book = bookOf(entry("anthropic", "claude-3-haiku").input("0.25").cached("0.03").output("1.25").build());
        Event event = llmEvent("acme", "anthropic", "claude-3-haiku", JUNE);
        event.inputTokens = 100;
        event.cachedInputTokens = 5_000;

        Pricer.price(event, book);

        // 0 uncached; 5,000 cached × 30 = 150,000 nano.
        assertThat(event.costNanos).isEqualTo(150_000L);
    }
}
