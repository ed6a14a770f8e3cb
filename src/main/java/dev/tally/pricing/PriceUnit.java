package dev.tally.pricing;

import dev.tally.event.EventType;
import java.util.List;
import java.util.Optional;

/**
 * What a price entry charges for. An entry holds the rates of exactly one unit, and prices only
 * events of that unit's type, so that a transcription model never borrows a chat model's price.
 */
public enum PriceUnit {
    /**
     * llm: USD per million tokens of each class, and optionally a long-context tier: the rates that
     * apply instead of the input and output rates to a request whose prompt is longer than the
     * threshold (a count of tokens, kept among the rates so that every store stores it alike).
     */
    TOKENS(List.of("input_per_million", "cached_input_per_million", "cache_creation_per_million",
            "output_per_million", "input_audio_per_million", "output_audio_per_million",
            PriceUnit.LONG_CONTEXT_THRESHOLD, "long_context_input_per_million", "long_context_output_per_million")),
    /** stt: USD per minute of audio transcribed. */
    AUDIO_MINUTE(List.of("per_audio_minute")),
    /** tts: USD per million characters synthesised. */
    CHARACTERS(List.of("per_million_characters")),
    /** sms: USD per billed segment, by the message's direction. */
    SEGMENT(List.of("per_segment_outbound", "per_segment_inbound")),
    /** call: USD per minute of call, by direction, optionally for numbers of one E.164 prefix. */
    CALL_MINUTE(List.of("per_minute_outbound", "per_minute_inbound"));

    /** The prompt length, in tokens, above which the long-context rates apply. */
    public static final String LONG_CONTEXT_THRESHOLD = "long_context_threshold_tokens";

    /** The rates of version 1's token entries, the columns every store has had from the start. */
    private static final List<String> FIRST_RATES = List.of("input_per_million", "cached_input_per_million",
            "cache_creation_per_million", "output_per_million", "input_audio_per_million", "output_audio_per_million");

    private final List<String> rates;

    PriceUnit(List<String> rates) {
        this.rates = rates;
    }

    /** The JSON (and column) names of this unit's rates. */
    public List<String> rates() {
        return rates;
    }

    /** The unit that prices an event type; empty for types that carry no price of their own. */
    public static Optional<PriceUnit> of(EventType type) {
        return switch (type) {
            case LLM -> Optional.of(TOKENS);
            case STT -> Optional.of(AUDIO_MINUTE);
            case TTS -> Optional.of(CHARACTERS);
            case SMS -> Optional.of(SEGMENT);
            case CALL -> Optional.of(CALL_MINUTE);
            // a fee's cost is always reported; chats and messages cost nothing of their own
            case FEE, CHAT, MESSAGE -> Optional.empty();
        };
    }

    /** The rates of version 1's token entries. */
    public static List<String> firstRates() {
        return FIRST_RATES;
    }

    /** Every rate name added since version 1, the columns a store made by version 1 lacks. */
    public static List<String> addedRates() {
        return java.util.Arrays.stream(values()).flatMap(unit -> unit.rates.stream())
                .filter(rate -> !FIRST_RATES.contains(rate)).toList();
    }
}
