package dev.tally.pricing.catalog;

import static dev.tally.pricing.catalog.CatalogEntry.UNDATED;
import static dev.tally.pricing.catalog.Excerpts.decimal;
import static dev.tally.pricing.catalog.Excerpts.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GenAiPricesCatalogTest {
    private static final LocalDate OPUS_PRICE_CHANGE = LocalDate.of(2026, 3, 13);
    private static CatalogImport imported;

    @BeforeAll
    static void importTheExcerpt() throws IOException {
        imported = GenAiPricesCatalog.read(Excerpts.open(Excerpts.GENAI_PRICES), "0.1.8");
    }

    @Test
    void mapsEachDatedPeriodToItsOwnEntry() {
        CatalogEntry first = only(imported.entries(), CatalogKind.LLM, "anthropic", "claude-opus-4-6", UNDATED);
        CatalogEntry later = only(imported.entries(), CatalogKind.LLM, "anthropic", "claude-opus-4-6", OPUS_PRICE_CHANGE);

        assertThat(List.of(first.input(), first.cachedInput(), first.cacheCreationInput(), first.output()))
                .containsExactly(decimal("5"), decimal("0.5"), decimal("6.25"), decimal("25"));
        assertThat(first.longContextThresholdTokens()).isEqualTo(200_000L);
        assertThat(first.longContextInput()).isEqualTo(decimal("10"));
        assertThat(first.longContextOutput()).isEqualTo(decimal("37.5"));
        assertThat(List.of(later.input(), later.cachedInput(), later.cacheCreationInput(), later.output()))
                .containsExactly(decimal("5"), decimal("0.5"), decimal("6.25"), decimal("25"));
        assertThat(later.longContextThresholdTokens()).isNull();
        assertThat(later.longContextInput()).isNull();
        assertThat(later.source()).isEqualTo("genai-prices 0.1.8");
    }

    @Test
    void readsTiersThatStartOffTheRoundNumber() {
        CatalogEntry grok = only(imported.entries(), CatalogKind.LLM, "x-ai", "grok-4.20", UNDATED);

        assertThat(grok.longContextThresholdTokens()).isEqualTo(199_999L);
        assertThat(List.of(grok.input(), grok.cachedInput(), grok.output(), grok.longContextInput(),
                grok.longContextOutput()))
                .containsExactly(decimal("1.25"), decimal("0.2"), decimal("2.5"), decimal("2.5"), decimal("5"));
    }

    @Test
    void readsAudioTokensAndTranscriptionPerHour() {
        CatalogEntry realtime = only(imported.entries(), CatalogKind.LLM, "openai", "gpt-realtime", UNDATED);
        CatalogEntry haiku = only(imported.entries(), CatalogKind.LLM, "anthropic", "claude-haiku-4-5", UNDATED);

        assertThat(List.of(realtime.input(), realtime.cachedInput(), realtime.output(), realtime.inputAudio(),
                realtime.outputAudio()))
                .containsExactly(decimal("4"), decimal("0.4"), decimal("16"), decimal("32"), decimal("64"));
        assertThat(haiku.cacheCreationInput()).isEqualTo(decimal("1.25"));
        assertThat(haiku.inputAudio()).isNull();
        assertThat(only(imported.entries(), CatalogKind.STT, "openai", "whisper-1", UNDATED).perAudioMinute())
                .isEqualTo(decimal("0.006"));
    }

    @Test
    void skipsModelsWithoutTokenPricesAndModelsPricedByTimeOfDay() {
        assertThat(imported.skipped()).isEqualTo(Map.of(
                "no input and output token price nor transcription price", 2,
                "model priced by time of day", 1));
        assertThat(imported.entries()).extracting(CatalogEntry::model)
                .doesNotContain("deepseek-chat", "moderation", "text-embedding-3-small");
        assertThat(imported.entries()).hasSize(6);
    }

    @Test
    void sortsItsOutputAndImportsTheSameFileToTheSameList() throws IOException {
        assertThat(imported.entries()).isSortedAccordingTo(CatalogImport.ORDER);
        assertThat(imported.entries()).extracting(CatalogEntry::model).containsExactly(
                "claude-haiku-4-5", "claude-opus-4-6", "claude-opus-4-6", "gpt-realtime", "grok-4.20", "whisper-1");

        assertThat(GenAiPricesCatalog.read(Excerpts.open(Excerpts.GENAI_PRICES), "0.1.8")).isEqualTo(imported);
    }

    @Test
    void refusesDataThatIsNotAnArrayOfProviders() {
        assertThatThrownBy(() -> GenAiPricesCatalog.read(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("array of providers");
    }
}
