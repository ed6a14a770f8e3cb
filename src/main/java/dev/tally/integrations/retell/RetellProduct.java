package dev.tally.integrations.retell;

import java.util.List;
import java.util.Locale;

/**
 * What one entry of Retell's {@code call_cost.product_costs[]} is a cost of, read from its
 * {@code product} name. Retell's SDK types the name as a free string and its documentation names
 * products by vendor and role ({@code elevenlabs_tts}, an LLM by its model), so the words of the
 * name (split at {@code _}, {@code -}, {@code .} and spaces, each matched by its start) decide, in
 * this order: a feature that is none of the parts (voicemail detection), a post-call analysis, the
 * carrier, transcription, synthesis, the LLM, Retell's own platform. Anything else is still a cost
 * of the call, a fee of kind other, so the parts add up to Retell's total.
 */
enum RetellProduct {
    /** Checked first: {@code voicemail_detection} names a voice but synthesizes nothing. */
    OTHER(List.of("voicemail")),
    /** Post-call analysis, whatever model runs it: a fee of kind analysis. */
    ANALYSIS(List.of("analysis")),
    /** The carrier's minutes: the call's own telephony cost. */
    TELEPHONY(List.of("telephony", "twilio", "telnyx", "vonage", "plivo", "sip", "pstn", "carrier", "phone")),
    STT(List.of("stt", "asr", "transcri", "deepgram")),
    TTS(List.of("tts", "voice", "elevenlabs", "cartesia", "playht", "minimax", "fish")),
    LLM(List.of("llm", "gpt", "claude", "gemini", "llama", "deepseek", "mistral", "grok", "qwen", "realtime",
            "openai", "anthropic")),
    /** Retell's own per-minute charge. */
    PLATFORM(List.of("retell", "platform", "infra"));

    private final List<String> words;

    RetellProduct(List<String> words) {
        this.words = words;
    }

    static RetellProduct of(String product) {
        List<String> tokens = List.of(product.toLowerCase(Locale.ROOT).split("[_\\-. ]+"));
        for (RetellProduct kind : values()) {
            if (kind.words.stream().anyMatch(word -> tokens.stream().anyMatch(token -> token.startsWith(word)))) {
                return kind;
            }
        }
        return OTHER;
    }

    /** The part's name in its id ({@code <call id>:tts}); telephony has no part of its own. */
    String partName() {
        return switch (this) {
            case ANALYSIS -> "analysis";
            case TELEPHONY -> "telephony";
            case STT -> "stt";
            case TTS -> "tts";
            case LLM -> "llm";
            case PLATFORM -> "platform";
            case OTHER -> "other";
        };
    }
}
