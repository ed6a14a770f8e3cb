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
 * Leaves one live row per call, and per corrected event, in the hours about to be recomputed.
 *
 * <p>A write covers the start times it knows of with tombstones, but two instances writing
 * states of one call (or corrections of one event) at once, with different start times, each know
 * only what was stored before either: both rows stay live. Before recomputing a tenant's hours, the
 * worker looks for calls and corrected events of those hours that their lookup table
 * ({@code call_states}, {@code event_ids}) knows at more than one start time (rare: only moved
 * ones), reads their live rows at those times, and covers every row but the newest version with
 * a tombstone. The hours are settled (no write that marked them is still running), and a
 * tombstone outside them marks its own hour for recomputation.
 */
final class ClickHouseMovedRows {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ClickHouseRollups rollups;

    ClickHouseMovedRows(ClickHouseRollups rollups) {
        this.rollups = rollups;
    }

    /** Settles calls and corrected events; returns how many rows it covered. */
    int settle(ClickHouseHttp http, String tenantId, List<long[]> ranges) {
        return settle(http, tenantId, ranges, RawTable.CALLS) + settle(http, tenantId, ranges, RawTable.EVENTS);
    }

    private int settle(ClickHouseHttp http, String tenantId, List<long[]> ranges, RawTable table) {
        // only a corrected event can have moved: an event never corrected is looked at no further
        String candidates = table == RawTable.EVENTS ? " AND revision > 0" : "";
        SqlBuilder moved = new SqlBuilder().append("SELECT DISTINCT id, time_ms FROM " + lookupTable(table)
                + " WHERE tenant_id = ").value(tenantId).append(" AND id_hash IN (SELECT id_hash FROM "
                + ClickHouseSchema.rows(table) + "tenant_id = ").value(tenantId).append(candidates + " AND (");
        for (int index = 0; index < ranges.size(); index++) {
            moved.append(index == 0 ? "" : " OR ").append("(time_ms >= ").value(ranges.get(index)[0])
                    .append(" AND time_ms < ").value(ranges.get(index)[1]).append(")");
        }
        moved.append("))");
        Map<String, Set<Long>> timesById = new HashMap<>();
        for (Row row : http.query(ClickHouseLiterals.bind(moved.build()))) {
            timesById.computeIfAbsent(row.string("id"), any -> new LinkedHashSet<>()).add(row.longValue("time_ms"));
        }
        // most were only ever written at one start time: nothing of theirs can be live twice
        timesById.values().removeIf(times -> times.size() < 2);
        if (timesById.isEmpty()) {
            return 0;
        }
        Map<String, List<Row>> liveById = new HashMap<>();
        for (Row row : http.query(ClickHouseLiterals.bind(liveRows(table, tenantId, timesById)))) {
            liveById.computeIfAbsent(row.string("id"), any -> new ArrayList<>()).add(row);
        }
        List<Row> stale = new ArrayList<>();
        // an event's tombstone goes just above its own call's or event's winning version
        Map<Row, Long> winningVersion = new HashMap<>();
        long newest = 0;
        for (List<Row> live : liveById.values()) {
            Row winner = live.stream().max((left, right) -> Long.compare(left.longValue("version"),
                    right.longValue("version"))).orElseThrow();
            for (Row row : live) {
                newest = Math.max(newest, row.longValue("version"));
                if (row != winner) {
                    stale.add(row);
                    winningVersion.put(row, winner.longValue("version"));
                }
            }
        }
        if (stale.isEmpty()) {
            return 0;
        }
        // A call's version is a clock's, one above every version stored. An event's is its revision: its
        // tombstone takes the winner's revision (above the row's, or one above at a tie), never another
        // event's, which would hide a later correction of this one.
        long callVersion = Versions.after(newest);
        Set<ClickHouseRollups.TenantHour> hours = new LinkedHashSet<>();
        List<ClickHouseCallStates.Written> intents = new ArrayList<>();
        StringBuilder tombstones = new StringBuilder();
        for (Row row : stale) {
            long version = table == RawTable.CALLS ? callVersion
                    : Math.max(winningVersion.get(row), row.longValue("version") + 1);
            hours.add(ClickHouseRollups.TenantHour.of(tenantId, row.longValue("time_ms")));
            intents.add(new ClickHouseCallStates.Written(tenantId, row.string("id"), row.longValue("time_ms"),
                    row.string("status"), row.longValue("revision"), version));
            tombstones.append(tombstone(row, version)).append('\n');
        }
        // marked first like any write; a call's version recorded before the row, so a later state is written above it
        rollups.mark(hours, true);
        if (table == RawTable.CALLS) {
            new ClickHouseCallStates(http).recordIntents(intents);
        }
        http.insert(table.tableName(), tombstones.toString());
        return stale.size();
    }

    private static String lookupTable(RawTable table) {
        return switch (table) {
            case CALLS -> ClickHouseSchema.CALL_STATES;
            case EVENTS -> ClickHouseSchema.EVENT_IDS;
        };
    }

    private static Sql liveRows(RawTable table, String tenantId, Map<String, Set<Long>> timesById) {
        String columns = EventColumns.ALL.stream().map(EventColumn::name).collect(Collectors.joining(", "));
        SqlBuilder sql = new SqlBuilder().append("SELECT " + columns + ", version FROM "
                + ClickHouseSchema.rows(table) + "tenant_id = ").value(tenantId).append(" AND (");
        String or = "";
        for (Map.Entry<String, Set<Long>> moved : timesById.entrySet()) {
            for (long timeMs : moved.getValue()) {
                sql.append(or + "(time_ms = ").value(timeMs).append(" AND id = ").value(moved.getKey()).append(")");
                or = " OR ";
            }
        }
        return sql.append(")").build();
    }

    /** The row as read, marked deleted under a version above every live row of its call or event. */
    private static String tombstone(Row row, long version) {
        ObjectNode json = MAPPER.createObjectNode();
        EventColumns.ALL.forEach(column -> JsonColumns.copy(row, column, json));
        return json.put("version", version).put("deleted", 1).toString();
    }
}
