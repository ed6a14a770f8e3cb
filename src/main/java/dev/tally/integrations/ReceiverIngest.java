package dev.tally.integrations;

import dev.tally.error.Rejection;
import dev.tally.http.ApiError;
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

    /**
     * Refuses a payload the store wrote only part of, with a 503 the provider retries on: what was
     * stored is then a duplicate, the rest is stored.
     */
    public static void requireAllStored(IngestResult result, String what) {
        if (result.rejected() > 0) {
            throw new ApiError(503, "store_unavailable", "body", "the store could not write "
                    + result.rejected() + " of the " + what + "'s events; send it again");
        }
    }
}
