package dev.tally.event;

import java.util.Locale;
import java.util.Optional;

/** The kinds of usage event of the ingest contract; the wire name is the lower-case constant. */
public enum EventType {
    CALL, LLM, STT, TTS, SMS, CHAT, MESSAGE,
    /** Any other charge (a platform's fee, a post-call analysis, a number's rent): its cost is always reported. */
    FEE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<EventType> fromWire(String name) {
        for (EventType type : values()) {
            if (type.wireName().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
