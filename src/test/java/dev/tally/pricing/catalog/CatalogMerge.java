package dev.tally.pricing.catalog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How the bundled catalog is made from the two public catalogs and the hand-collected rates.
 *
 * <p>genai-prices comes first, since it dates its price changes. LiteLLM adds the transcription and
 * speech prices, and the language models genai-prices lacks for the providers both catalogs name
 * alike ({@code openai}, {@code anthropic}, {@code deepseek}, …): its other providers are API routes
 * ({@code bedrock_converse}, {@code vertex_ai-language-models}) that no event names. The
 * hand-collected telephony rates come last; no catalog prices calls or SMS.
 */
final class CatalogMerge {
    private CatalogMerge() {
    }

    static List<CatalogEntry> merge(CatalogImport genAiPrices, CatalogImport liteLlm, List<CatalogEntry> handCollected) {
        Set<String> languageModelProviders = new HashSet<>();
        Set<List<Object>> priced = new HashSet<>();
        for (CatalogEntry entry : genAiPrices.entries()) {
            priced.add(List.of(entry.kind(), entry.provider(), entry.model()));
            if (entry.kind() == CatalogKind.LLM) {
                languageModelProviders.add(entry.provider());
            }
        }
        List<CatalogEntry> merged = new ArrayList<>(genAiPrices.entries());
        for (CatalogEntry entry : liteLlm.entries()) {
            boolean alreadyPriced = priced.contains(List.of(entry.kind(), entry.provider(), entry.model()));
            boolean reachable = entry.kind() != CatalogKind.LLM || languageModelProviders.contains(entry.provider());
            if (!alreadyPriced && reachable) {
                merged.add(entry);
            }
        }
        merged.addAll(handCollected);
        return merged;
    }
}
