package dev.tally.pricing.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BundledCatalogTest {
    private static CatalogFile catalog;

    @BeforeAll
    static void load() {
        catalog = CatalogResource.load();
    }

    private static List<CatalogEntry> ofKind(CatalogKind kind) {
        return catalog.entries().stream().filter(entry -> entry.kind() == kind).toList();
    }

    @Test
    void holdsAtLeast300LanguageModelsOfAtLeast10Providers() {
        Map<String, Set<String>> modelsByProvider = ofKind(CatalogKind.LLM).stream().collect(Collectors.groupingBy(
                CatalogEntry::provider, Collectors.mapping(CatalogEntry::model, Collectors.toSet())));

        assertThat(modelsByProvider.values().stream().mapToInt(Set::size).sum()).isGreaterThanOrEqualTo(300);
        assertThat(modelsByProvider).hasSizeGreaterThanOrEqualTo(10);
        assertThat(modelsByProvider).containsKeys("openai", "anthropic", "google", "aws");
    }

    @Test
    void carriesCacheAudioAndLongContextRatesAndDatedChanges() {
        List<CatalogEntry> languageModels = ofKind(CatalogKind.LLM);

        assertThat(languageModels).anyMatch(entry -> entry.cachedInput() != null);
        assertThat(languageModels).anyMatch(entry -> entry.cacheCreationInput() != null);
        assertThat(languageModels).anyMatch(entry -> entry.inputAudio() != null && entry.outputAudio() != null);
        assertThat(languageModels).anyMatch(entry -> entry.longContextThresholdTokens() != null);
        assertThat(languageModels).anyMatch(entry -> !entry.effectiveFrom().equals(CatalogEntry.UNDATED));
    }

    @Test
    void includesTranscriptionSpeechAndTelephonyRates() {
        assertThat(ofKind(CatalogKind.STT)).extracting(CatalogEntry::provider)
                .contains("openai", "deepgram", "assemblyai");
        assertThat(ofKind(CatalogKind.TTS)).extracting(CatalogEntry::provider).contains("openai", "elevenlabs");
        assertThat(ofKind(CatalogKind.CALL)).anyMatch(entry -> entry.provider().equals("twilio")
                && "+1".equals(entry.prefix()) && entry.perMinuteInbound() != null && entry.perMinuteOutbound() != null);
        assertThat(ofKind(CatalogKind.SMS)).isNotEmpty();
    }

    @Test
    void hasNoTwoEntriesWithOneKeyAndNamesEverySource() {
        Set<CatalogKey> keys = new HashSet<>();
        for (CatalogEntry entry : catalog.entries()) {
            assertThat(keys.add(CatalogKey.of(entry))).as("unique %s", CatalogKey.of(entry)).isTrue();
            assertThat(entry.source()).as("source of %s", CatalogKey.of(entry))
                    .matches("(litellm|genai-prices) .+|https://.+");
        }
        assertThat(catalog.entries()).isSortedAccordingTo(CatalogImport.ORDER);
    }

    @Test
    void saysWhereItCameFrom() {
        assertThat(catalog.provenance().path("fetched").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(catalog.provenance().path("litellm").asText()).startsWith("litellm ");
        assertThat(catalog.provenance().path("genai_prices").asText()).startsWith("genai-prices ");
    }
}
