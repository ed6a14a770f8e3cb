package dev.tally.event;

import java.util.Locale;

/** Where an event's cost came from; {@code UNPRICED} is the figure reports show for events the book cannot price. */
public enum CostSource {
    /** The provider or carrier reported {@code cost_usd}; it wins over any price. */
    REPORTED,
    /** Tally priced the event from the price book entry in force at its time. */
    COMPUTED,
    /** An event of a priced type (call, llm, stt, tts, sms) that no entry prices: stored at cost 0 and counted, never dropped. */
    UNPRICED,
    /** An event type that carries no cost of its own. */
    NONE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CostSource fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
