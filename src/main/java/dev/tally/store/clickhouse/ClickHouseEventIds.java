package dev.tally.store.clickhouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.ingest.EventKey;
import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.store.sql.Row;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code event_ids} table: each stored event's (tenant, id) by the id's hash, with the type,
 * start time and revision it was written with, so a batch's lookup reads a few 256-row granules per
 * id whatever the number of stored events, and learns what a correction must know: the stored
 * revision and type to judge it by, and every start time the event was written at, whose rows
 * the correction covers with tombstones.
 *
 * <p>A correction adds a row; the key's rows are combined here, the highest revision standing.
 * Rows of a database made before revisions carry no type (empty): such an event is taken as
 * revision 0, and its rows are found in {@code events} by id when a correction needs them.
 */
final class ClickHouseEventIds {
    static final String COLUMNS = "tenant_id String, id_hash Int64, id String, type String, time_ms Int64,"
            + " revision Int64";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ClickHouseHttp http;

    ClickHouseEventIds(ClickHouseHttp http) {
        this.http = http;
    }

    /** What is stored of an event: the type and revision of its newest row, and every start time it was written at. */
    record StoredId(EventType type, long revision, Set<Long> timesMs) {
    }

    Map<EventKey, StoredId> lookup(Map<String, Set<String>> idsByTenant) {
        String keys = BatchKeys.NAME;
        String select = "SELECT tenant_id, id, type, time_ms, revision FROM " + ClickHouseSchema.EVENT_IDS
                + " WHERE tenant_id IN (SELECT tenant_id FROM " + keys + ") AND id_hash IN (SELECT id_hash FROM "
                + keys + ") AND (tenant_id, id) IN (SELECT tenant_id, id FROM " + keys + ")";
        Map<EventKey, Found> found = new HashMap<>();
        for (Row row : http.query(select, keys, BatchKeys.STRUCTURE, BatchKeys.rows(idsByTenant))) {
            found.computeIfAbsent(new EventKey(row.string("tenant_id"), row.string("id")), any -> new Found())
                    .add(row.string("type"), row.longValue("time_ms"), row.longValue("revision"));
        }
        Map<String, Set<String>> untyped = new HashMap<>();
        found.forEach((key, event) -> {
            if (event.type == null) {
                untyped.computeIfAbsent(key.tenantId(), any -> new java.util.HashSet<>()).add(key.id());
            }
        });
        if (!untyped.isEmpty()) {
            readFromEvents(untyped, found);
        }
        Map<EventKey, StoredId> stored = new HashMap<>();
        found.forEach((key, event) -> stored.put(key, new StoredId(event.type, event.revision, event.timesMs)));
        return stored;
    }

    /** Ids recorded before revisions: their type, times and revision from the events themselves, by id. */
    private void readFromEvents(Map<String, Set<String>> idsByTenant, Map<EventKey, Found> found) {
        String keys = BatchKeys.NAME;
        String select = "SELECT tenant_id, id, type, time_ms, revision FROM " + ClickHouseSchema.rows(
                dev.tally.store.sql.RawTable.EVENTS) + "tenant_id IN (SELECT tenant_id FROM " + keys
                + ") AND (tenant_id, id) IN (SELECT tenant_id, id FROM " + keys + ")";
        for (Row row : http.query(select, keys, BatchKeys.STRUCTURE, BatchKeys.rows(idsByTenant))) {
            found.get(new EventKey(row.string("tenant_id"), row.string("id")))
                    .add(row.string("type"), row.longValue("time_ms"), row.longValue("revision"));
        }
    }

    /** One event's rows as they are read. */
    private static final class Found {
        private final Set<Long> timesMs = new TreeSet<>();
        private EventType type;
        private long revision = -1;

        void add(String rowType, long timeMs, long rowRevision) {
            if (rowType.isEmpty()) {
                return;
            }
            timesMs.add(timeMs);
            if (rowRevision > revision) {
                revision = rowRevision;
                type = EventType.fromWire(rowType).orElseThrow();
            }
        }
    }

    /** Records the events written, after their rows are in. */
    void record(Collection<Event> events) {
        StringBuilder rows = new StringBuilder();
        for (Event event : events) {
            rows.append(MAPPER.createObjectNode().put("tenant_id", event.tenantId)
                    .put("id_hash", IdFingerprint.of(event.tenantId, event.id)).put("id", event.id)
                    .put("type", event.type.wireName()).put("time_ms", event.timeMs).put("revision", event.revision)
                    .toString()).append('\n');
        }
        http.insert(ClickHouseSchema.EVENT_IDS, rows.toString());
    }
}
