package dev.tally.pricing.catalog;

/** The kind of usage a catalog entry prices, one per metered event type of the contract. */
public enum CatalogKind {
    /** Per million tokens of each token class. */
    LLM,
    /** Per minute of transcribed audio. */
    STT,
    /** Per million synthesized characters. */
    TTS,
    /** Per message segment, by direction. */
    SMS,
    /** Per call minute, by direction, optionally for one E.164 prefix. */
    CALL
}
