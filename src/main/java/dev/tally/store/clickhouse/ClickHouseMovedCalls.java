package dev.tally.store.clickhouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.store.sql.EventColumn;
import dev.tally.store.sql.EventColumns;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Leaves one live {@code calls} row per call in the hours about to be recomputed.
 *
 * <p>A write covers the start times it knows of with tombstones, but two instances writing
 * states of one call at once, with different start times, each know only what was stored before
 * either: both rows stay live. Before recomputing a tenant's hours, the worker looks for calls
 * of those hours that {@code call_states} knows at more than one start time (rare: only moved
 * calls), reads their live rows at those times, and covers every row but the newest version with
 * a tombstone. The hours are settled (no write that marked them is still running), and a
 * tombstone outside them marks its own hour for recomputation.
 */
final class ClickHouseMovedCalls {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ClickHouseRollups rollups;

    ClickHouseMovedCalls(ClickHouseRollups rollups) {
        this.rollups = rollups;
    }

    /** Returns how many rows it covered. */
    int settle(ClickHouseHttp http, String tenantId, List<long[]> ranges) {
        SqlBuilder moved = new SqlBuilder().append("SELECT DISTINCT id, time_ms FROM " + ClickHouseSchema.CALL_STATES
                + " WHERE tenant_id = ").value(tenantId).append(" AND id_hash IN (SELECT id_hash FROM "
                + ClickHouseSchema.rows(RawTable.CALLS) + "tenant_id = ").value(tenantId).append(" AND (");
        for (int index = 0; index < ranges.size(); index++) {
            moved.append(index == 0 ? "" : " OR ").append("(time_ms >= ").value(ranges.get(index)[0])
                    .append(" AND time_ms < ").value(ranges.get(index)[1]).append(")");
        }
        moved.append("))");
        Map<String, Set<Long>> timesById = new HashMap<>();
        for (Row row : http.query(ClickHouseLiterals.bind(moved.build()))) {
            timesById.computeIfAbsent(row.string("id"), any -> new LinkedHashSet<>()).add(row.longValue("time_ms"));
        }
        // most calls were only ever written at one start time: nothing of theirs can be live twice
        timesById.values().removeIf(times -> times.size() < 2);
        if (timesById.isEmpty()) {
            return 0;
        }
        Map<String, List<Row>> liveById = new HashMap<>();
        for (Row row : http.query(ClickHouseLiterals.bind(liveRows(tenantId, timesById)))) {
            liveById.computeIfAbsent(row.string("id"), any -> new ArrayList<>()).add(row);
        }
        List<Row> stale = new ArrayList<>();
        long newest = 0;
        for (List<Row> live : liveById.values()) {
            Row winner = live.stream().max((left, right) -> Long.compare(left.longValue("version"),
                    right.longValue("version"))).orElseThrow();
            for (Row row : live) {
                newest = Math.max(newest, row.longValue("version"));
                if (row != winner) {
                    stale.add(row);
                }
            }
        }
        if (stale.isEmpty()) {
            return 0;
        }
        long version = Versions.after(newest);
        Set<ClickHouseRollups.TenantHour> hours = new LinkedHashSet<>();
        List<ClickHouseCallStates.Written> intents = new ArrayList<>();
        StringBuilder tombstones = new StringBuilder();
        for (Row row : stale) {
            hours.add(ClickHouseRollups.TenantHour.of(tenantId, row.longValue("time_ms")));
            intents.add(new ClickHouseCallStates.Written(tenantId, row.string("id"), row.longValue("time_ms"),
                    row.string("status"), row.longValue("revision"), version));
            tombstones.append(tombstone(row, version)).append('\n');
        }
        // marked first like any write; the version recorded before the row, so a later state is written above it
        rollups.mark(hours, true);
        new ClickHouseCallStates(http).recordIntents(intents);
        http.insert("calls", tombstones.toString());
        return stale.size();
    }

    private static Sql liveRows(String tenantId, Map<String, Set<Long>> timesById) {
        String columns = EventColumns.ALL.stream().map(EventColumn::name).collect(Collectors.joining(", "));
        SqlBuilder sql = new SqlBuilder().append("SELECT " + columns + ", version FROM "
                + ClickHouseSchema.rows(RawTable.CALLS) + "tenant_id = ").value(tenantId).append(" AND (");
        String or = "";
        for (Map.Entry<String, Set<Long>> call : timesById.entrySet()) {
            for (long timeMs : call.getValue()) {
                sql.append(or + "(time_ms = ").value(timeMs).append(" AND id = ").value(call.getKey()).append(")");
                or = " OR ";
            }
        }
        return sql.append(")").build();
    }

    /** The row as read, marked deleted under a version above every live row of its call. */
    private static String tombstone(Row row, long version) {
        ObjectNode json = MAPPER.createObjectNode();
        EventColumns.ALL.forEach(column -> JsonColumns.copy(row, column, json));
        return json.put("version", version).put("deleted", 1).toString();
    }
}
