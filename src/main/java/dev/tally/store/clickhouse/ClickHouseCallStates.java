package dev.tally.store.clickhouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.event.Event;
import dev.tally.ingest.EventKey;
import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.store.sql.Row;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code call_states} table: for each call, the start times it was written at and its latest
 * state, keyed by the id's hash so that a batch's lookup reads a few 256-row granules per call
 * whatever the number of stored calls.
 *
 * <p>A write records each call's new start time twice: as an <em>intent</em> before the calls
 * insert and as <em>landed</em> after it. The planner takes a call's stored status from landed
 * rows only: an intent whose insert then failed must not make the retry look like a duplicate. The
 * times come from both: a calls row that landed while its landed record did not (a crash between
 * the two) is still known, and the call's next state writes a tombstone over it.
 */
final class ClickHouseCallStates {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ClickHouseHttp http;

    ClickHouseCallStates(ClickHouseHttp http) {
        this.http = http;
    }

    /**
     * What is stored of a call: the status of its latest landed state (null when no state has
     * landed), the highest version of any of its rows, and every start time it was written at.
     */
    record StoredCall(String status, long revision, long version, Set<Long> timesMs) {
    }

    /**
     * The stored calls among these ids, by tenant. Rows are combined here rather than read
     * {@code FINAL}: the highest version wins either way, and merging in the server costs more.
     */
    Map<EventKey, StoredCall> lookup(Map<String, Set<String>> idsByTenant) {
        String select = "SELECT tenant_id, id, time_ms, landed, status, revision, version FROM " + ClickHouseSchema.CALL_STATES
                + " WHERE tenant_id IN (SELECT tenant_id FROM " + BatchKeys.NAME + ") AND id_hash IN (SELECT id_hash FROM "
                + BatchKeys.NAME + ") AND (tenant_id, id) IN (SELECT tenant_id, id FROM " + BatchKeys.NAME + ")";
        Map<EventKey, Found> found = new HashMap<>();
        for (Row row : http.query(select, BatchKeys.NAME, BatchKeys.STRUCTURE, BatchKeys.rows(idsByTenant))) {
            found.computeIfAbsent(new EventKey(row.string("tenant_id"), row.string("id")), any -> new Found())
                    .add(row.longValue("time_ms"), row.longValue("landed") == 1, row.string("status"),
                            row.longValue("revision"), row.longValue("version"));
        }
        Map<EventKey, StoredCall> stored = new HashMap<>();
        found.forEach((key, call) -> stored.put(key, new StoredCall(call.status, call.revision, call.version, call.timesMs)));
        return stored;
    }

    /** One call's rows as they are read. */
    private static final class Found {
        private final Set<Long> timesMs = new TreeSet<>();
        private long version;
        private long landedVersion = -1;
        private String status;
        private long revision;

        void add(long timeMs, boolean landed, String rowStatus, long rowRevision, long rowVersion) {
            timesMs.add(timeMs);
            version = Math.max(version, rowVersion);
            if (landed && rowVersion > landedVersion) {
                landedVersion = rowVersion;
                status = rowStatus;
                revision = rowRevision;
            }
        }
    }

    /** Records the states about to be inserted into {@code calls}, before they are. */
    void recordIntents(Collection<Written> states) {
        http.insert(ClickHouseSchema.CALL_STATES, rows(states, false));
    }

    /** Records the states once they are in {@code calls}. */
    void recordLanded(Collection<Written> states) {
        http.insert(ClickHouseSchema.CALL_STATES, rows(states, true));
    }

    /** A row a write puts into {@code calls} at a start time, with its version: a call state or a tombstone. */
    record Written(String tenantId, String id, long timeMs, String status, long revision, long version) {
        static Written of(Event state, long version) {
            return new Written(state.tenantId, state.id, state.timeMs, state.status, state.revision, version);
        }
    }

    private static String rows(Collection<Written> states, boolean landed) {
        StringBuilder rows = new StringBuilder();
        for (Written written : states) {
            rows.append(MAPPER.createObjectNode().put("tenant_id", written.tenantId())
                    .put("id_hash", IdFingerprint.of(written.tenantId(), written.id())).put("id", written.id())
                    .put("time_ms", written.timeMs()).put("landed", landed ? 1 : 0).put("status", written.status())
                    .put("revision", written.revision()).put("version", written.version()).toString()).append('\n');
        }
        return rows.toString();
    }
}
