package dev.tally.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.SplittableRandom;

/**
 * Writes the text input token counts of one LLM request the way each provider's prompt cache
 * reports them, so that cached-token figures in the reports are plausible per provider.
 */
final class PromptCache {
    private PromptCache() {
    }

    /**
     * @param prompt input tokens of the request (system prompt plus conversation so far)
     * @param systemPrompt the stable prefix that a cache can hold
     * @param turn 0 for the first request of a conversation, when nothing is cached yet
     */
    static void writeInput(ObjectNode event, String provider, int prompt, int systemPrompt, int turn,
                           SplittableRandom random) {
        switch (provider) {
            case "openai" -> {
                // OpenAI caches prompts of 1,024 tokens and more, in steps of 128.
                int cached = turn > 0 && prompt >= 1024 ? ((prompt - 64) / 128) * 128 : 0;
                event.put("input_tokens", prompt);
                event.put("cached_input_tokens", cached);
            }
            case "anthropic" -> {
                // Anthropic writes the marked prefix once (not part of input_tokens), then reads it.
                if (turn == 0) {
                    event.put("input_tokens", prompt - systemPrompt);
                    event.put("cache_creation_input_tokens", systemPrompt);
                } else {
                    event.put("input_tokens", prompt);
                    event.put("cached_input_tokens", systemPrompt);
                }
            }
            case "google" -> {
                // Implicit caching: hits now and then, never on the first request.
                event.put("input_tokens", prompt);
                event.put("cached_input_tokens", turn > 1 && Draw.chance(random, 0.5) ? systemPrompt : 0);
            }
            default -> event.put("input_tokens", prompt);
        }
    }
}
