package dev.tally.ingest.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What ingest did with each event, by outcome, and the refusals by the field they name (the
 * contract's fields: a bounded set). Counted once an answer is known, the receivers' events included.
 */
final class IngestMeters {
    private final MeterRegistry registry;

    IngestMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void counted(IngestResult result) {
        int updated = 0;
        int stale = 0;
        for (IngestResult.Item item : result.results()) {
            switch (item.status()) {
                case "updated" -> updated++;
                case "stale" -> stale++;
                case "rejected" -> Counter.builder("tally.ingest.rejected").description("Events refused, by the field named.")
                        .tag("field", field(item.field())).register(registry).increment();
                default -> { }
            }
        }
        outcome("stored", result.accepted() - updated);
        outcome("updated", updated);
        outcome("duplicate", result.duplicates() - stale);
        outcome("stale", stale);
        outcome("rejected", result.rejected());
    }

    /** The contract's top-level field a refusal names; anything else (a hostile name) counts as other. */
    private static String field(String named) {
        if (named == null) {
            return "event";
        }
        String top = named.split("[.\\[]", 2)[0];
        return FIELDS.contains(top) ? top : "other";
    }

    private static final java.util.Set<String> FIELDS = java.util.Set.of("body", "event", "id", "type", "time",
            "tenant_id", "agent_id", "user_email", "member_id", "attributes", "revision", "status", "direction",
            "phone_number", "ended_at", "duration_seconds", "cost_usd", "sentiment", "end_reason", "provider",
            "model", "kind", "call_id", "chat_id", "input_tokens", "cached_input_tokens",
            "cache_creation_input_tokens", "output_tokens", "input_audio_tokens", "output_audio_tokens",
            "characters", "audio_duration_seconds", "encoding", "role", "channel", "quantity", "unit",
            "reported_total_cost_usd", "segments");

    private void outcome(String outcome, long events) {
        Counter.builder("tally.ingest.events").description("Events received, by what ingest did with them.")
                .tag("outcome", outcome).register(registry).increment(events);
    }
}
