package dev.tally.pricing;

import static dev.tally.pricing.TestPrices.entry;
import static dev.tally.pricing.TestPrices.epochMs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PriceBookTest {
    private static final long MID_2025 = epochMs("2025-06-15T12:00:00Z");

    private static Optional<String> foundId(PriceBook book, String tenant, String provider, String model, long timeMs) {
        return book.find(tenant, provider, model, timeMs).map(PriceEntry::id);
    }

    @Test
    void anEntryEffectiveTomorrowIsNotUsedToday() {
        PriceBook book = new PriceBook(List.of(
                entry("openai", "gpt-4o").id("current").from("2025-01-01").build(),
                entry("openai", "gpt-4o").id("tomorrow").from("2025-06-16").build()));

        assertThat(foundId(book, null, "openai", "gpt-4o", MID_2025)).contains("current");
    }

    @Test
    void theEffectiveDateIsInclusiveAndReadInUtc() {
        // Surefire runs in America/Bahia_Banderas (UTC-6): a local-date reading would disagree on both sides.
        PriceBook book = new PriceBook(List.of(
                entry("openai", "gpt-4o").id("old").from("2025-01-01").build(),
                entry("openai", "gpt-4o").id("new").from("2025-06-16").build()));

        assertThat(foundId(book, null, "openai", "gpt-4o", epochMs("2025-06-15T23:59:59.999Z"))).contains("old");
        assertThat(foundId(book, null, "openai", "gpt-4o", epochMs("2025-06-16T00:00:00Z"))).contains("new");
        assertThat(foundId(book, null, "openai", "gpt-4o", epochMs("2025-06-16T03:00:00Z"))).contains("new");
    }

    @Test
    void anOldEventKeepsTheOldPriceAfterAPriceChange() {
        PriceBook book = new PriceBook(List.of(
                entry("openai", "o3").id("launch").from("2025-04-16").input("10").build(),
                entry("openai", "o3").id("cut").from("2025-06-10").input("2").build()));

        assertThat(foundId(book, null, "openai", "o3", epochMs("2025-05-01T00:00:00Z"))).contains("launch");
        assertThat(foundId(book, null, "openai", "o3", epochMs("2025-07-01T00:00:00Z"))).contains("cut");
        assertThat(foundId(book, null, "openai", "o3", epochMs("2025-04-15T23:00:00Z"))).isEmpty();
    }

    @Test
    void aTenantOverrideBeatsTheDefaultOnlyForThatTenant() {
        PriceBook book = new PriceBook(List.of(
                entry("openai", "gpt-4o").id("default").build(),
                entry("openai", "gpt-4o").id("acme").tenant("acme").build()));

        assertThat(foundId(book, "acme", "openai", "gpt-4o", MID_2025)).contains("acme");
        assertThat(foundId(book, "globex", "openai", "gpt-4o", MID_2025)).contains("default");
        assertThat(foundId(book, null, "openai", "gpt-4o", MID_2025)).contains("default");
    }

    @Test
    void aTenantPatternBeatsAnExactDefaultAndADefaultStillCoversWhatTheTenantDoesNotPrice() {
        PriceBook book = new PriceBook(List.of(
                entry("openai", "gpt-4o").id("default exact").build(),
                entry("openai", "gpt-4o-mini").id("default mini").build(),
                entry("openai", "gpt-4o*").id("acme pattern").tenant("acme").build(),
                entry("openai", "o3").id("default o3").build()));

        assertThat(foundId(book, "acme", "openai", "gpt-4o", MID_2025)).contains("acme pattern");
        assertThat(foundId(book, "acme", "openai", "gpt-4o-mini", MID_2025)).contains("acme pattern");
        assertThat(foundId(book, "acme", "openai", "o3", MID_2025)).contains("default o3");
    }

    @Test
    void aTenantOverrideThatStartsLaterLeavesEarlierEventsToTheDefault() {
        PriceBook book = new PriceBook(List.of(
                entry("openai", "gpt-4o").id("default").from("2024-08-06").build(),
                entry("openai", "gpt-4o").id("acme").tenant("acme").from("2025-07-01").build()));

        assertThat(foundId(book, "acme", "openai", "gpt-4o", MID_2025)).contains("default");
        assertThat(foundId(book, "acme", "openai", "gpt-4o", epochMs("2025-07-01T00:00:00Z"))).contains("acme");
    }

    @Test
    void anExactEntryBeatsAPatternEvenAnOlderOne() {
        PriceBook book = new PriceBook(List.of(
                entry("openai", "gpt-4o-mini").id("exact").from("2024-07-18").build(),
                entry("openai", "gpt-4o-mini*").id("pattern").from("2025-01-01").build()));

        assertThat(foundId(book, null, "openai", "gpt-4o-mini", MID_2025)).contains("exact");
        assertThat(foundId(book, null, "openai", "gpt-4o-mini-2024-07-18", MID_2025)).contains("pattern");
    }

    @Test
    void theLongestMatchingPatternWins() {
        PriceBook book = new PriceBook(List.of(
                entry("anthropic", "claude-*").id("claude").build(),
                entry("anthropic", "claude-opus-4*").id("opus 4").build(),
                entry("anthropic", "claude-opus-4-5*").id("opus 4.5").build()));

        assertThat(foundId(book, null, "anthropic", "claude-opus-4-5-20251101", MID_2025)).contains("opus 4.5");
        assertThat(foundId(book, null, "anthropic", "claude-opus-4-1-20250805", MID_2025)).contains("opus 4");
        assertThat(foundId(book, null, "anthropic", "claude-3-haiku-20240307", MID_2025)).contains("claude");
        assertThat(foundId(book, null, "anthropic", "gpt-4o", MID_2025)).isEmpty();
    }

    @Test
    void aLongerPatternNotYetInForceGivesWayToAShorterOne() {
        PriceBook book = new PriceBook(List.of(
                entry("anthropic", "claude-opus-4*").id("opus 4").from("2025-05-22").build(),
                entry("anthropic", "claude-opus-4-5*").id("opus 4.5").from("2025-11-24").build()));

        assertThat(foundId(book, null, "anthropic", "claude-opus-4-5", MID_2025)).contains("opus 4");
        assertThat(foundId(book, null, "anthropic", "claude-opus-4-5", epochMs("2025-12-01T00:00:00Z"))).contains("opus 4.5");
    }

    @Test
    void onlyTheEventsProviderMatchesUnlessTheEventNamesNone() {
        PriceBook book = new PriceBook(List.of(entry("openai", "gpt-4o").id("openai").build()));

        assertThat(foundId(book, null, "azure", "gpt-4o", MID_2025)).isEmpty();
        assertThat(foundId(book, null, "openai", "gpt-4o", MID_2025)).contains("openai");
        assertThat(foundId(book, null, null, "gpt-4o", MID_2025)).contains("openai");
        assertThat(foundId(book, null, " ", "gpt-4o", MID_2025)).contains("openai");
    }

    @Test
    void withoutAProviderTheLatestEntryWinsAndATieGoesToTheFirstProviderByName() {
        PriceBook book = new PriceBook(List.of(
                entry("openai", "gpt-4o").id("openai").from("2024-08-06").build(),
                entry("azure", "gpt-4o").id("azure").from("2024-08-06").build(),
                entry("openrouter", "gpt-4o").id("openrouter").from("2025-01-01").build()));

        assertThat(foundId(book, null, null, "gpt-4o", MID_2025)).contains("openrouter");
        assertThat(foundId(book, null, null, "gpt-4o", epochMs("2024-12-01T00:00:00Z"))).contains("azure");
    }

    @Test
    void anUnknownModelOrNoModelFindsNothing() {
        PriceBook book = new PriceBook(List.of(entry("openai", "gpt-4o").build()));

        assertThat(book.find(null, "openai", "gpt-5-turbo-max", MID_2025)).isEmpty();
        assertThat(book.find(null, "openai", null, MID_2025)).isEmpty();
        assertThat(new PriceBook(List.of()).find("acme", "openai", "gpt-4o", MID_2025)).isEmpty();
    }

    @Test
    void rejectsTwoEntriesForTheSameTenantModelAndDate() {
        PriceEntry first = entry("openai", "gpt-4o").id("a").from("2025-01-01").build();
        PriceEntry second = entry("openai", "gpt-4o").id("b").from("2025-01-01").input("3").build();

        assertThatThrownBy(() -> new PriceBook(List.of(first, second)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openai/gpt-4o").hasMessageContaining("2025-01-01");
        // The same line for another tenant, or from another day, is no conflict.
        new PriceBook(List.of(first, entry("openai", "gpt-4o").tenant("acme").from("2025-01-01").build(),
                entry("openai", "gpt-4o").from("2025-01-02").build()));
    }

    @Test
    void isASnapshotTheCallerCannotChange() {
        List<PriceEntry> source = new ArrayList<>(List.of(entry("openai", "gpt-4o").build()));
        PriceBook book = new PriceBook(source);
        source.clear();

        assertThat(book.entries()).hasSize(1);
        assertThatThrownBy(() -> book.entries().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void readsEntriesFromSnakeCaseJson() throws IOException {
        String json = """
                [{"id": "acme/gpt-4o", "tenant_id": "acme", "provider": "openai", "model": "gpt-4o",
                  "effective_from": "2025-03-01", "input_per_million": 2.125, "output_per_million": 9,
                  "cached_input_per_million": null, "credit_multiplier": 0.75}]
                """;
        List<PriceEntry> entries = PriceBook.readEntries(stream(json));

        assertThat(entries).containsExactly(new PriceEntry("acme/gpt-4o", "acme", "openai", "gpt-4o",
                LocalDate.of(2025, 3, 1), new BigDecimal("2.125"), null, null, new BigDecimal("9"), null, null,
                new BigDecimal("0.75")));
    }

    @Test
    void readingAnInvalidEntryNamesTheFieldAndAnUnknownKeyIsAnError() {
        String negative = """
                [{"provider": "openai", "model": "gpt-4o", "effective_from": "2025-03-01",
                  "input_per_million": -1, "output_per_million": 9, "credit_multiplier": 1}]
                """;
        assertThatThrownBy(() -> PriceBook.readEntries(stream(negative)))
                .isInstanceOf(InvalidPriceEntryException.class)
                .hasMessageContaining("input_per_million");

        String misspelt = """
                [{"provider": "openai", "model": "gpt-4o", "effective_from": "2025-03-01",
                  "input_per_milion": 1, "input_per_million": 1, "output_per_million": 9, "credit_multiplier": 1}]
                """;
        assertThatThrownBy(() -> PriceBook.readEntries(stream(misspelt)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("input_per_milion");
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
