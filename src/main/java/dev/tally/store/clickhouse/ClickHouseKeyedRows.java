package dev.tally.store.clickhouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.store.SubjectErasure;
import dev.tally.store.json.AttributesJson;
import dev.tally.store.sql.EventColumn;
import dev.tally.store.sql.EventColumns;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The rows of an erasure whose sorting key holds the identifier, which no {@code ALTER TABLE …
 * UPDATE} can change: copied here under the pseudonym, the originals then removed by the
 * erasure's mutations ({@link ClickHouseErasure}). Each copy is made so that no read counts the
 * subject twice while both are stored.
 */
final class ClickHouseKeyedRows {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long HOUR_MS = 3_600_000L;

    private final ClickHouseHttp http;
    private final ClickHouseKnownIds knownIds;

    ClickHouseKeyedRows(ClickHouseHttp http, ClickHouseKnownIds knownIds) {
        this.http = http;
        this.knownIds = knownIds;
    }

    /**
     * An erased call's id is its row's key: the call is written again under the pseudonym, its
     * states first (as a write records a state before its row), the pseudonym's fingerprint known
     * and announced before either, so a redelivery under the pseudonym is looked up and found.
     * Each live row goes in with a tombstone of a higher version over its old key, in one insert
     * block: they land together on the tenant's shard, and {@code FINAL} shows the call once,
     * under one id or the other. A call already moved (no live row under the identifier) is left.
     */
    void moveCall(SubjectErasure erasure) {
        String tenant = ClickHouseLiterals.string(erasure.tenantId());
        String identifier = ClickHouseLiterals.string(erasure.identifier());
        // the hours of its parts, even of a call whose own row never arrived: copied again, they merge
        // (inserted by position; named call_key, the pseudonym would stand for the column in WHERE)
        http.execute("INSERT INTO " + ClickHouseCallParts.TABLE + " SELECT tenant_id, "
                + ClickHouseLiterals.string(erasure.pseudonym()) + " AS moved_key, hour FROM " + ClickHouseCallParts.TABLE
                + " WHERE tenant_id = " + tenant + " AND call_key = " + identifier);
        List<Row> states = http.query("SELECT tenant_id, time_ms, landed, status, revision, version FROM "
                + ClickHouseSchema.CALL_STATES + " WHERE tenant_id = " + tenant + " AND id_hash = "
                + IdFingerprint.of(erasure.tenantId(), erasure.identifier()) + " AND id = " + identifier);
        String columns = EventColumns.ALL.stream().map(EventColumn::name).collect(Collectors.joining(", "));
        List<Row> live = http.query("SELECT " + columns + ", version FROM "
                + ClickHouseSchema.rows(RawTable.CALLS) + "tenant_id = " + tenant + " AND id = "
                + identifier);
        if (states.isEmpty() && live.isEmpty()) {
            return;
        }
        knownIds.announce(erasure.tenantId(), List.of(erasure.pseudonym()));
        long pseudonymHash = IdFingerprint.of(erasure.tenantId(), erasure.pseudonym());
        StringBuilder stateRows = new StringBuilder();
        for (Row state : states) {
            stateRows.append(MAPPER.createObjectNode().put("tenant_id", erasure.tenantId()).put("id_hash", pseudonymHash)
                    .put("id", erasure.pseudonym()).put("time_ms", state.longValue("time_ms"))
                    .put("landed", state.longValue("landed")).put("status", state.string("status"))
                    .put("revision", state.longValue("revision")).put("version", state.longValue("version")))
                    .append('\n');
        }
        if (!stateRows.isEmpty()) {
            http.insert(ClickHouseSchema.CALL_STATES, stateRows.toString());
        }
        StringBuilder callRows = new StringBuilder();
        for (Row row : live) {
            ObjectNode tombstone = MAPPER.createObjectNode();
            EventColumns.ALL.forEach(column -> JsonColumns.copy(row, column, tombstone));
            ObjectNode moved = tombstone.deepCopy();
            tombstone.put("version", Versions.after(row.longValue("version"))).put("deleted", 1);
            moved.put("id", erasure.pseudonym()).put("id_hash", pseudonymHash)
                    .put("attributes", AttributesJson.write(Map.of())).putNull("body")
                    .put("version", row.longValue("version")).put("deleted", 0);
            if (erasure.identifier().equals(row.string("call_id"))) {
                moved.put("call_id", erasure.pseudonym());
            }
            callRows.append(tombstone).append('\n').append(moved).append('\n');
        }
        if (!callRows.isEmpty()) {
            http.insert(RawTable.CALLS.tableName(), callRows.toString());
        }
    }

    /**
     * An erased member's usage rows of the hours before the tenant's retention horizon, copied
     * under the pseudonym with their generation: those hours are never recomputed, so the rows the
     * erasure deletes under the identifier would otherwise take their usage with them. A (hour,
     * generation) copied already is not copied again, so a pass run again counts it once.
     */
    void copyExpiredMemberUsage(SubjectErasure erasure) {
        Long keptFrom = new ClickHouseKeptFrom(http).all().get(erasure.tenantId());
        if (keptFrom == null) {
            return;
        }
        String tenant = ClickHouseLiterals.string(erasure.tenantId());
        String pseudonym = ClickHouseLiterals.string(erasure.pseudonym());
        String table = ClickHouseMemberUsage.TABLE;
        http.execute("INSERT INTO " + table + " (tenant_id, hour, generation, member_id, chats, messages, credits_micros)"
                + " SELECT tenant_id, hour, generation, " + pseudonym + ", chats, messages, credits_micros FROM " + table
                + " WHERE tenant_id = " + tenant + " AND member_id = " + ClickHouseLiterals.string(erasure.identifier())
                + " AND hour < " + Math.floorDiv(keptFrom, HOUR_MS) + " AND (hour, generation) NOT IN (SELECT hour,"
                + " generation FROM " + table + " WHERE tenant_id = " + tenant + " AND member_id = " + pseudonym + ")");
    }

    /**
     * An erased member's chats: each owner row copied under the pseudonym with the same revision.
     * Until the originals are removed a chat has two owners of one revision, and every read takes
     * the same one of them ({@link ClickHouseChatReferences#owners}), never both.
     */
    void moveChatOwners(SubjectErasure erasure) {
        StringBuilder rows = new StringBuilder();
        for (Row owner : http.query("SELECT chat_id, revision FROM " + ClickHouseChatReferences.OWNERS
                + " WHERE tenant_id = " + ClickHouseLiterals.string(erasure.tenantId()) + " AND owner_id = "
                + ClickHouseLiterals.string(erasure.identifier()))) {
            rows.append(MAPPER.createObjectNode().put("tenant_id", erasure.tenantId())
                    .put("chat_id", owner.string("chat_id")).put("owner_id", erasure.pseudonym())
                    .put("revision", owner.longValue("revision"))).append('\n');
        }
        if (!rows.isEmpty()) {
            http.insert(ClickHouseChatReferences.OWNERS, rows.toString());
        }
    }
}
