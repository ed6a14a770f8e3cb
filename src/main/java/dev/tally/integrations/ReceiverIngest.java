package dev.tally.integrations;

import dev.tally.error.Rejection;
import dev.tally.ingest.EventJson;
import dev.tally.ingest.api.IngestResult;
import dev.tally.ingest.api.IngestService;
import dev.tally.ingest.api.RefusedEvent;
import java.util.List;

/**
 * Stores the events a receiver made from one payload through the same ingest as {@code POST
 * /v1/events} (pricing, deduplication, revisions, rollups), all or nothing: an event the contract
 * refuses is reported by the payload field it came from, and nothing of the payload is stored.
 */
public final class ReceiverIngest {
    private final IngestService ingest;

    public ReceiverIngest(IngestService ingest) {
        this.ingest = ingest;
    }

    public IngestResult store(String tenantId, List<MappedEvent> events) {
        try {
            return ingest.ingestForTenant(tenantId, events.stream().map(event -> EventJson.of(event.json())).toList());
        } catch (RefusedEvent refused) {
            throw Rejection.invalid(events.get(refused.index()).sourceOf(refused.field(), "body"), refused.reason());
        }
    }
}
