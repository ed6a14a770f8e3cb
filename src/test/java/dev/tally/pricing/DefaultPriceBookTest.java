package dev.tally.pricing;

import static dev.tally.pricing.TestPrices.epochMs;
import static dev.tally.pricing.TestPrices.llmEvent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.pricing.catalog.DefaultPrices;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DefaultPriceBookTest {
    private static final long MID_2025 = epochMs("2025-09-01T12:00:00Z");

    @Test
    void loadsOnceAndHoldsOnlyValidDefaultEntries() {
        PriceBook book = DefaultPrices.book();

        assertThat(DefaultPrices.book()).isSameAs(book);
        Set<String> ids = new HashSet<>();
        for (PriceEntry entry : book.entries()) {
            // Rebuilding runs every validation again, whatever path the loader took.
            assertThat(PriceEntry.of(entry.id(), entry.tenantId(), entry.provider(), entry.model(),
                    entry.effectiveFrom(), entry.prefix(), entry.rates(), entry.source())).isEqualTo(entry);
            assertThat(entry.tenantId()).as(entry.id()).isNull();
            assertThat(ids.add(entry.id())).as("unique id %s", entry.id()).isTrue();
            assertThat(DefaultPrices.isDefault(entry.id())).isTrue();
        }
        assertThat(DefaultPrices.isDefault("price_not_a_default")).isFalse();
    }

    @Test
    void holdsTheCatalogOfEveryKindBesideTheHandKeptEntries() {
        Map<PriceUnit, Long> byUnit = DefaultPrices.book().entries().stream()
                .collect(Collectors.groupingBy(PriceEntry::unit, Collectors.counting()));
        Set<String> tokenProviders = DefaultPrices.book().entries().stream()
                .filter(entry -> entry.unit() == PriceUnit.TOKENS).map(PriceEntry::provider).collect(Collectors.toSet());

        assertThat(byUnit.get(PriceUnit.TOKENS)).isGreaterThanOrEqualTo(300);
        assertThat(tokenProviders).hasSizeGreaterThanOrEqualTo(10);
        assertThat(byUnit).containsKeys(PriceUnit.AUDIO_MINUTE, PriceUnit.CHARACTERS, PriceUnit.SEGMENT,
                PriceUnit.CALL_MINUTE);
        // every catalog entry says where its price came from; the hand-kept ones were written from the same pages
        assertThat(DefaultPrices.book().entries()).filteredOn(entry -> entry.source() != null)
                .hasSizeGreaterThan(1000);
        assertThat(DefaultPrices.book().entries()).anyMatch(entry -> entry.longContextThresholdTokens() != null);
    }

    @Test
    void everyCreditMultiplierFollowsTheDocumentedRule() {
        for (PriceEntry entry : DefaultPrices.book().entries()) {
            if (entry.unit() != PriceUnit.TOKENS) {
                assertThat(entry.creditMultiplier()).as(entry.id()).isNull();
                continue;
            }
            BigDecimal output = entry.outputPerMillion();
            BigDecimal tier = output.compareTo(BigDecimal.ONE) < 0 ? new BigDecimal("0.1")
                    : output.compareTo(BigDecimal.valueOf(5)) < 0 ? new BigDecimal("0.25")
                    : output.compareTo(BigDecimal.valueOf(20)) < 0 ? BigDecimal.ONE
                    : BigDecimal.valueOf(4);
            BigDecimal expected = entry.outputAudioPerMillion() != null ? tier.multiply(BigDecimal.valueOf(2)) : tier;
            assertThat(entry.creditMultiplier()).as(entry.id()).isEqualByComparingTo(expected);
        }
    }

    @Test
    void containsTheWidelyUsedModels() {
        PriceBook book = DefaultPrices.book();

        assertThat(book.find(null, "openai", "gpt-4o-mini", MID_2025)).get()
                .satisfies(entry -> {
                    assertThat(entry.inputPerMillion()).isEqualByComparingTo("0.15");
                    assertThat(entry.cachedInputPerMillion()).isEqualByComparingTo("0.075");
                    assertThat(entry.outputPerMillion()).isEqualByComparingTo("0.60");
                });
        assertThat(book.find(null, "anthropic", "claude-sonnet-4-20250514", MID_2025)).get()
                .satisfies(entry -> {
                    assertThat(entry.inputPerMillion()).isEqualByComparingTo("3");
                    assertThat(entry.cacheCreationPerMillion()).isEqualByComparingTo("3.75");
                });
        assertThat(book.find(null, "openai", "gpt-realtime", MID_2025)).get()
                .satisfies(entry -> assertThat(entry.outputAudioPerMillion()).isEqualByComparingTo("64"));
        assertThat(book.find(null, "openai", "gpt-4.1-mini-2025-04-14", MID_2025).map(PriceEntry::inputPerMillion))
                .hasValueSatisfying(rate -> assertThat(rate).isEqualByComparingTo("0.40"));
        assertThat(book.find(null, "openai", "gpt-4.1-2025-04-14", MID_2025).map(PriceEntry::inputPerMillion))
                .hasValueSatisfying(rate -> assertThat(rate).isEqualByComparingTo("2"));
        assertThat(book.find(null, "google", "gemini-2.5-flash-lite", MID_2025)).isPresent();
        assertThat(book.find(null, "google", "gemini-2.5-pro", MID_2025)).isPresent();
        assertThat(book.find(null, "aws", "amazon.nova-sonic-v1:0", MID_2025)).get()
                .satisfies(entry -> assertThat(entry.inputAudioPerMillion()).isEqualByComparingTo("3.40"));
        assertThat(book.find(null, "anthropic", "claude-3-haiku-20240307", MID_2025)).isPresent();
        assertThat(book.find(null, "openai", "o3", epochMs("2025-05-01T00:00:00Z")).map(PriceEntry::inputPerMillion))
                .hasValueSatisfying(rate -> assertThat(rate).isEqualByComparingTo("10"));
        assertThat(book.find(null, "openai", "o3", MID_2025).map(PriceEntry::inputPerMillion))
                .hasValueSatisfying(rate -> assertThat(rate).isEqualByComparingTo("2"));
        assertThat(book.find(PriceUnit.AUDIO_MINUTE, null, "deepgram", "nova-2", null, MID_2025)).isPresent();
        // the hand-collected carrier rates are dated the day they were read from the carriers' pages
        assertThat(book.find(PriceUnit.CALL_MINUTE, null, "twilio", "", "+14155550100",
                epochMs("2026-12-10T00:00:00Z"))).isPresent();
    }

    @Test
    void pricesAnEventWithTheDefaults() {
        Event event = llmEvent("acme", "openai", "gpt-4o-mini", "2025-09-01T12:00:00Z");
        event.inputTokens = 1_000_000;
        event.cachedInputTokens = 400_000;
        event.outputTokens = 100_000;

        Pricer.price(event, DefaultPrices.book());

        // 600,000 × $0.15/M = $0.09; 400,000 × $0.075/M = $0.03; 100,000 × $0.60/M = $0.06 → $0.18.
        assertThat(event.costNanos).isEqualTo(180_000_000L);
        assertThat(event.costSource).isEqualTo(CostSource.COMPUTED);
        // 1,100,000 tokens / 1,000 × 0.1 = 110 credits.
        assertThat(event.creditsMicros).isEqualTo(110_000_000L);
    }
}
