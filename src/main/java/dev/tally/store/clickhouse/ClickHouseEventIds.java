package dev.tally.store.clickhouse;

import dev.tally.event.EventType;
import dev.tally.ingest.EventKey;
import dev.tally.store.sql.Row;
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
    /**
     * Records every live row inserted into {@code events} (tombstones are not events): the ids land
     * in the very insert that stores their events, on the shard that stores them, so no stored event
     * lacks its id and no id is recorded for an event that failed to land, whose retry it would turn
     * away. An insert that fails between the two leaves events without ids: their retry is taken as
     * new and writes the same rows again, which the table's versions collapse.
     */
    static final String VIEW = "event_ids_view";

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

    /** The view's query over {@code events}: each live row's key, type, start time and revision. */
    static String recorded(String events) {
        return "SELECT tenant_id, id_hash, id, type, time_ms, revision FROM " + events + " WHERE " + ClickHouseSchema.LIVE;
    }
}
