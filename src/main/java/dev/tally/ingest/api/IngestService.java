package dev.tally.ingest.api;

import dev.tally.access.TenantService;
import dev.tally.auth.Principal;
import dev.tally.error.Rejection;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.ingest.EventJson;
import dev.tally.ingest.EventParser;
import dev.tally.ingest.EventPricing;
import dev.tally.ingest.InvalidField;
import dev.tally.ingest.WriteOutcome;
import dev.tally.store.BatchWriter;
import dev.tally.tenant.Tenant;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Ingest from body to durable store: read, validate each event, settle its tenant from the key,
 * enrich it (price, SMS segments), write the valid ones through the {@link BatchWriter}, and say
 * what happened to each event that was not simply stored.
 */
public final class IngestService {
    private final TenantService tenants;
    private final EventPricing pricing;
    private final BatchWriter writer;
    private final Clock clock;
    private final IngestMeters meters;
    /** The store's {@code writableFrom}: where a retention run made earlier times impossible to count. */
    private final Function<String, OptionalLong> writableFrom;

    public IngestService(TenantService tenants, EventPricing pricing, BatchWriter writer, Clock clock,
                         io.micrometer.core.instrument.MeterRegistry registry, Function<String, OptionalLong> writableFrom) {
        this.meters = new IngestMeters(registry);
        this.writableFrom = writableFrom;
        this.tenants = tenants;
        this.pricing = pricing;
        this.writer = writer;
        this.clock = clock;
    }

    public IngestResult ingest(Principal principal, byte[] body, String contentType) {
        List<BodyReader.Item> items = BodyReader.read(body, contentType);
        long now = clock.millis();
        List<IngestResult.Item> notes = new ArrayList<>();
        List<Event> valid = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int index = 0; index < items.size(); index++) {
            BodyReader.Item item = items.get(index);
            if (item.unreadable() != null) {
                notes.add(new IngestResult.Item(index, null, "rejected", "body", item.unreadable()));
                continue;
            }
            try {
                Event event = EventParser.parse(item.json(), now);
                enrich(event, settleTenant(principal.tenantId(), event));
                valid.add(event);
                positions.add(index);
            } catch (InvalidField invalid) {
                notes.add(new IngestResult.Item(index, idOf(item), "rejected", invalid.field(), invalid.reason()));
            }
        }
        return written(valid, positions, notes, items.size());
    }

    /**
     * A receiver's events, all for one tenant, stored all or nothing: the first event that breaks the
     * contract is thrown ({@link RefusedEvent}) before anything is written.
     */
    public IngestResult ingestForTenant(String tenantId, List<EventJson> events) {
        List<Event> valid = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        readForTenant(tenantId, events, valid, positions, (index, invalid) -> {
            throw new RefusedEvent(index, invalid.field(), invalid.reason());
        });
        return written(valid, positions, new ArrayList<>(), events.size());
    }

    /**
     * A receiver's events, all for one tenant, each standing alone (an OTLP export's spans): as for
     * {@code POST /v1/events}, the valid ones are stored and each refused one is named in the result
     * by its index, field and reason.
     */
    public IngestResult ingestEachForTenant(String tenantId, List<EventJson> events) {
        List<IngestResult.Item> notes = new ArrayList<>();
        List<Event> valid = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        readForTenant(tenantId, events, valid, positions, (index, invalid) -> notes.add(new IngestResult.Item(index,
                events.get(index).idOrNull(), "rejected", invalid.field(), invalid.reason())));
        return written(valid, positions, notes, events.size());
    }

    private interface Refusal {
        void refused(int index, InvalidField invalid);
    }

    /** Parses, prices and settles each event for the tenant: the valid ones and their positions, each other one refused. */
    private void readForTenant(String tenantId, List<EventJson> events, List<Event> valid, List<Integer> positions,
                               Refusal refusal) {
        long now = clock.millis();
        for (int index = 0; index < events.size(); index++) {
            try {
                Event event = EventParser.parse(events.get(index), now);
                enrich(event, settleTenant(tenantId, event));
                valid.add(event);
                positions.add(index);
            } catch (InvalidField invalid) {
                refusal.refused(index, invalid);
            }
        }
    }

    /** Writes the valid events and says what happened to each one that was not simply stored. */
    private IngestResult written(List<Event> valid, List<Integer> positions, List<IngestResult.Item> notes,
                                 int itemCount) {
        List<WriteOutcome> outcomes = writer.write(valid);
        int accepted = 0;
        int duplicates = 0;
        int rejectedByStore = 0;
        for (int position = 0; position < outcomes.size(); position++) {
            WriteOutcome outcome = outcomes.get(position);
            Event event = valid.get(position);
            int index = positions.get(position);
            switch (outcome) {
                case STORED -> accepted++;
                case UPDATED -> {
                    accepted++;
                    notes.add(new IngestResult.Item(index, event.id, "updated", null, null));
                }
                case DUPLICATE -> {
                    duplicates++;
                    notes.add(new IngestResult.Item(index, event.id, "duplicate", null, null));
                }
                case REJECTED -> {
                    rejectedByStore++;
                    notes.add(new IngestResult.Item(index, event.id, "rejected", "event",
                            "the store could not write this event (the rest of the batch was stored); it was not stored"));
                }
                case STALE -> {
                    duplicates++;
                    notes.add(new IngestResult.Item(index, event.id, "stale", "status",
                            "the call already has a final status; in_progress does not replace it"));
                }
                case STALE_REVISION -> {
                    duplicates++;
                    notes.add(new IngestResult.Item(index, event.id, "stale", "revision",
                            "a higher revision of this event is stored; it is kept and this one changes nothing"));
                }
                case TYPE_CHANGED -> {
                    rejectedByStore++;
                    notes.add(new IngestResult.Item(index, event.id, "rejected", "type",
                            "differs from the stored event's type; a correction (a higher revision) must keep the type"));
                }
            }
        }
        notes.sort((left, right) -> Integer.compare(left.index(), right.index()));
        int rejected = itemCount - valid.size() + rejectedByStore;
        IngestResult result = new IngestResult(accepted, duplicates, rejected, notes);
        meters.counted(result);
        return result;
    }

    /** A tenant key writes to its tenant; a platform key names an existing tenant in every event. */
    private Tenant settleTenant(String keyTenant, Event event) {
        if (keyTenant != null) {
            if (event.tenantId != null && !event.tenantId.equals(keyTenant)) {
                throw new InvalidField("tenant_id", "must be the key's own tenant (" + keyTenant + ") or omitted");
            }
            return canonicalTenant(event, tenants.find(keyTenant)
                    .orElseThrow(() -> new InvalidField("tenant_id", "the key's tenant no longer exists")));
        }
        if (event.tenantId == null) {
            throw new InvalidField("tenant_id", "is required with a platform key");
        }
        return canonicalTenant(event, tenants.find(event.tenantId)
                .orElseThrow(() -> new InvalidField("tenant_id", "unknown tenant " + event.tenantId)));
    }

    /**
     * The event names its tenant by the cached tenant's own string: the writer hashes and compares the
     * tenant of every event many times, and a string parsed per event had to be hashed and read afresh.
     */
    private static Tenant canonicalTenant(Event event, Tenant tenant) {
        event.tenantId = tenant.id();
        return tenant;
    }

    private void enrich(Event event, Tenant tenant) {
        java.util.OptionalLong horizon = dev.tally.tenant.Retention.horizonMs(tenant, clock.millis());
        if (horizon.isPresent() && event.timeMs < horizon.getAsLong()) {
            // the raw rows of that day are gone: whether this event was stored already can no longer be told
            throw new InvalidField("time", "is before the tenant's retention horizon "
                    + java.time.Instant.ofEpochMilli(horizon.getAsLong()) + " (raw events are kept "
                    + tenant.retentionDays() + " days); it was not stored");
        }
        OptionalLong writable = writableFrom.apply(tenant.id());
        if (writable.isPresent() && event.timeMs < writable.getAsLong()) {
            // a retention shortened before and lengthened since: this store's totals of those hours are final
            throw new InvalidField("time", "is before " + java.time.Instant.ofEpochMilli(writable.getAsLong())
                    + ", the tenant's retention horizon when raw events were last deleted: earlier totals are final;"
                    + " it was not stored");
        }
        if (event.type == EventType.SMS && !tenant.storeSmsBodies()) {
            event.body = null;
        }
        try {
            pricing.price(event);
        } catch (Rejection costOutOfRange) {
            // the book priced the event above what one event may cost: its quantity is at fault
            throw new InvalidField(costOutOfRange.field(), costOutOfRange.reason());
        }
    }

    private static String idOf(BodyReader.Item item) {
        return item.json() == null ? null : item.json().idOrNull();
    }
}
