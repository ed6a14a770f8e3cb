package dev.tally.pricing.catalog;

import static dev.tally.pricing.catalog.CatalogEntry.UNDATED;
import static dev.tally.pricing.catalog.Excerpts.decimal;
import static dev.tally.pricing.catalog.Excerpts.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LiteLlmCatalogTest {
    private static CatalogImport imported;

    @BeforeAll
    static void importTheExcerpt() throws IOException {
        imported = LiteLlmCatalog.read(Excerpts.open(Excerpts.LITELLM), "snapshot 2026-08-01");
    }

    private static CatalogEntry entry(CatalogKind kind, String provider, String model) {
        return only(imported.entries(), kind, provider, model, UNDATED);
    }

    @Test
    void convertsPerTokenPricesToPerMillionExactly() {
        CatalogEntry nova = entry(CatalogKind.LLM, "bedrock_converse", "amazon.nova-2-pro-preview-20251202-v1:0");

        assertThat(nova.input()).isEqualTo(decimal("2.1875"));
        assertThat(nova.cachedInput()).isEqualTo(decimal("0.546875"));
        assertThat(nova.output()).isEqualTo(decimal("17.5"));
        assertThat(nova.inputAudio()).isEqualTo(decimal("2.1875"));
        assertThat(nova.outputAudio()).isNull();
        assertThat(nova.cacheCreationInput()).isNull();
        assertThat(nova.source()).isEqualTo("litellm snapshot 2026-08-01");
        assertThat(entry(CatalogKind.LLM, "bedrock", "ai21.j2-mid-v1").input()).isEqualTo(decimal("12.5"));
    }

    @Test
    void readsCacheWritesAndTheLowestLongContextTier() {
        CatalogEntry sonnet = entry(CatalogKind.LLM, "anthropic", "claude-sonnet-4-5");

        assertThat(List.of(sonnet.input(), sonnet.cachedInput(), sonnet.cacheCreationInput(), sonnet.output()))
                .containsExactly(decimal("3"), decimal("0.3"), decimal("3.75"), decimal("15"));
        assertThat(sonnet.longContextThresholdTokens()).isEqualTo(200_000L);
        assertThat(sonnet.longContextInput()).isEqualTo(decimal("6"));
        assertThat(sonnet.longContextOutput()).isEqualTo(decimal("22.5"));

        CatalogEntry grok = entry(CatalogKind.LLM, "xai", "grok-4-0709");
        assertThat(grok.longContextThresholdTokens()).isEqualTo(128_000L);
        assertThat(grok.longContextInput()).isEqualTo(decimal("6"));
        assertThat(grok.longContextOutput()).isEqualTo(decimal("30"));
    }

    @Test
    void readsAudioTokenRates() {
        CatalogEntry audio = entry(CatalogKind.LLM, "openai", "gpt-4o-audio-preview");

        assertThat(audio.inputAudio()).isEqualTo(decimal("40"));
        assertThat(audio.outputAudio()).isEqualTo(decimal("80"));
        assertThat(audio.longContextThresholdTokens()).isNull();
    }

    @Test
    void pricesTranscriptionPerMinuteAndSpeechPerMillionCharacters() {
        assertThat(entry(CatalogKind.STT, "openai", "whisper-1").perAudioMinute()).isEqualTo(decimal("0.006"));
        // 7.167e-05 a second is 0.0043002 a minute, one decimal more than the stores keep
        assertThat(entry(CatalogKind.STT, "deepgram", "nova-3").perAudioMinute()).isEqualTo(decimal("0.0043"));
        // 0.0002833333333333333 a second is sixty times 0.016999999999999998, rounded to six decimals
        assertThat(entry(CatalogKind.STT, "openai", "gpt-realtime-whisper").perAudioMinute())
                .isEqualTo(decimal("0.017"));
        assertThat(entry(CatalogKind.STT, "soniox", "stt-async-v5").perAudioMinute()).isEqualTo(decimal("0.001667"));
        assertThat(entry(CatalogKind.TTS, "openai", "tts-1").perMillionCharacters()).isEqualTo(decimal("15"));
        assertThat(entry(CatalogKind.TTS, "elevenlabs", "eleven_multilingual_v2").perMillionCharacters())
                .isEqualTo(decimal("180"));
    }

    @Test
    void theUnprefixedKeyWinsOverTheSameModelWithItsProviderPrefix() {
        CatalogEntry deepseek = entry(CatalogKind.LLM, "deepseek", "deepseek-chat");

        // only the prefixed key lists a cache-creation price (0.0), so its absence shows which key won
        assertThat(deepseek.cacheCreationInput()).isNull();
        assertThat(deepseek.input()).isEqualTo(decimal("0.28"));
        assertThat(deepseek.cachedInput()).isEqualTo(decimal("0.028"));
    }

    @Test
    void countsEverySkippedEntryByReason() {
        assertThat(imported.skipped()).isEqualTo(Map.of(
                "sample_spec", 1,
                "mode not metered: image_generation", 1,
                "mode not metered: embedding", 1,
                "every price zero", 1,
                "same model and date twice", 1,
                "audio_transcription without a per-second price", 1,
                "audio_speech without a per-character price", 1));
        assertThat(imported.entries()).hasSize(12);
        assertThat(imported.entries().size() + imported.skippedCount()).isEqualTo(19);
    }

    @Test
    void sortsItsOutputAndImportsTheSameFileToTheSameList() throws IOException {
        assertThat(imported.entries()).isSortedAccordingTo(CatalogImport.ORDER);
        assertThat(imported.entries()).extracting(CatalogEntry::provider).startsWith("anthropic", "bedrock",
                "bedrock_converse", "deepseek", "openai", "xai");

        CatalogImport again = LiteLlmCatalog.read(Excerpts.open(Excerpts.LITELLM), "snapshot 2026-08-01");
        assertThat(again).isEqualTo(imported);
    }

    @Test
    void refusesAFileThatIsNotOneObject() {
        assertThatThrownBy(() -> LiteLlmCatalog.read(new ByteArrayInputStream("[]".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("one JSON object keyed by model");
    }
}
