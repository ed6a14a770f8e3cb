package dev.tally.store.duckdb;

import dev.tally.event.Event;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.duckdb.DuckDBConnection;

/**
 * The groups of a rollup table with minimums or maximums that a write's corrections took an extreme
 * from, and their rebuild: a minimum cannot take a value back, so such a group is made again from
 * what it holds once the write is in.
 */
final class LostExtremes {
    private LostExtremes() {
    }

    /**
     * The groups that lost one of their extremes in this write ({@link Rollups.Deltas#keepsExtremes}),
     * each with its count before the write. Memory decides where it can: a group held whole
     * ({@link GroupMembers#whole}) by its own rows, one whose count and extremes are known
     * ({@link GroupStates}), another by the held rows that stay ({@link GroupMembers#provablyKeepsExtremes}).
     * The rest are found from their stored rows, a few rollup rows a group, in one query (which
     * {@link GroupStates} then knows them by); a group with no stored row is rebuilt too.
     */
    static Map<List<Object>, Long> changed(DuckDBConnection connection, RollupTable table,
            Rollups.Deltas deltas, GroupMembers members) throws SQLException {
        Map<List<Object>, Long> changed = new HashMap<>();
        List<List<Object>> groups = new ArrayList<>();
        for (List<Object> group : deltas.lost(table).keySet()) {
            List<Event> whole = members.whole(table, group);
            if (whole != null) {
                if (!deltas.keepsExtremes(table, group, GroupMembers.extremes(table, whole))) {
                    changed.put(group, (long) whole.size());
                }
            } else {
                GroupStates.State stored = members.storedState(table, group);
                if (stored != null) {
                    if (!deltas.keepsExtremes(table, group, stored.extremes())) {
                        changed.put(group, stored.count());
                    }
                } else if (!members.provablyKeepsExtremes(table, group, deltas)) {
                    groups.add(group);
                }
            }
        }
        if (groups.isEmpty()) {
            return changed;
        }
        List<RollupTable.Measure> measures = table.measures();
        SqlBuilder sql = new SqlBuilder().append("SELECT lost.lost_group, CAST(sum(stored." + table.countColumn()
                + ") AS BIGINT) AS stored_count");
        for (int index = 0; index < measures.size(); index++) {
            RollupTable.Measure measure = measures.get(index);
            switch (measure.combine()) {
                case SUM -> sql.append(", 0 AS extreme_" + index);
                case MIN -> sql.append(", min(stored." + measure.name() + ") AS extreme_" + index);
                case MAX -> sql.append(", max(stored." + measure.name() + ") AS extreme_" + index);
            }
        }
        sql.append(" FROM " + table.name() + " AS stored JOIN ");
        LostGroups.fill(connection, table, groups);
        sql.append(LostGroups.table(table) + " AS lost ON ");
        appendGroupMatch(sql, table).append(" WHERE ");
        GroupBounds.of(groups).appendRollupBounds(sql, table);
        sql.append(" GROUP BY lost.lost_group");
        groups.forEach(group -> changed.put(group, 0L));
        Set<List<Object>> unread = new HashSet<>(groups);
        for (Row row : DuckDbEventStore.run(connection, sql.build())) {
            List<Object> group = groups.get((int) row.longValue("lost_group"));
            long[] stored = new long[measures.size()];
            for (int index = 0; index < stored.length; index++) {
                stored[index] = row.longValue("extreme_" + index);
            }
            unread.remove(group);
            members.read(table, group, row.longValue("stored_count"), stored);
            if (deltas.keepsExtremes(table, group, stored)) {
                changed.remove(group);
            } else {
                changed.put(group, row.longValue("stored_count"));
            }
        }
        // no stored row: nothing counted, no extreme
        unread.forEach(group -> members.read(table, group, 0, table.identities()));
        return changed;
    }

    /** A stored row ({@code stored}) of a group of {@link LostGroups}: tenant, slot and every key, a null key matching null. */
    private static SqlBuilder appendGroupMatch(SqlBuilder sql, RollupTable table) {
        sql.append("stored.tenant_id = lost.tenant_id AND stored." + table.grain().column() + " = lost.slot");
        for (int index = 0; index < table.keys().size(); index++) {
            sql.append(" AND stored." + table.keys().get(index).name() + " IS NOT DISTINCT FROM lost.key_" + index);
        }
        return sql;
    }

    /**
     * Rebuilds groups of a table with minimums or maximums that lost a corrected event: their rows
     * are deleted and made again as the groups stand in the write's transaction (the replaced rows
     * gone, the corrections in). From the events known in memory where they are all of a group, by
     * the Java rules of a backfill; else from the finer table's rows where there is one, else from
     * the raw rows of the groups' slots, aggregated by DuckDB from the measures' SQL, which equals
     * their Java value by {@link RollupTable.Measure}'s contract (the identity where SQL has none).
     * Either way a rebuilt group equals a backfilled one. Returns the rows written.
     *
     * @param storedCounts the groups, each with its count before this write
     */
    static List<Object[]> rebuild(DuckDBConnection connection, RollupTable table,
            Map<List<Object>, Long> storedCounts, GroupMembers members) throws SQLException {
        List<List<Object>> groups = new ArrayList<>(storedCounts.keySet());
        GroupBounds bounds = GroupBounds.of(groups);
        // by row id from a select: DuckDB binds a DELETE's WHERE before its USING, so their parameters would swap
        SqlBuilder delete = new SqlBuilder().append("DELETE FROM " + table.name() + " WHERE rowid IN (SELECT stored.rowid FROM "
                + table.name() + " AS stored JOIN ");
        LostGroups.fill(connection, table, groups);
        delete.append(LostGroups.table(table) + " AS lost ON ");
        appendGroupMatch(delete, table).append(" WHERE ");
        bounds.appendRollupBounds(delete, table).append(")");
        DuckDbEventStore.update(connection, delete.build());
        Rollups.Deltas known = new Rollups.Deltas();
        List<List<Object>> unknown = new ArrayList<>();
        for (List<Object> group : groups) {
            List<Event> events = members.afterWrite(table, group, storedCounts.get(group));
            if (events == null) {
                unknown.add(group);
            } else {
                events.forEach(event -> known.add(table, event));
            }
        }
        List<Object[]> rows = new ArrayList<>(known.rows(table));
        if (!unknown.isEmpty()) {
            rows.addAll(fromStoredRows(connection, table, unknown, unknown.size() < groups.size()));
        }
        AppenderValues.appendRows(connection, table.name(), rows);
        return rows;
    }

    /** The groups' rows from the finer table's rows or the raw rows, one query. */
    private static List<Object[]> fromStoredRows(DuckDBConnection connection, RollupTable table,
            List<List<Object>> groups, boolean refill) throws SQLException {
        if (refill) {
            LostGroups.fill(connection, table, groups);
        }
        GroupBounds bounds = GroupBounds.of(groups);
        List<RollupTable.Measure> measures = table.measures();
        Optional<RollupTable> finer = Rollups.finer(table);
        Sql query = (finer.isPresent() ? fromFinerRows(table, finer.get(), bounds)
                : fromRawRows(table, bounds)).build();
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(query.text())) {
            List<Object> parameters = query.parameters();
            for (int index = 0; index < parameters.size(); index++) {
                statement.setObject(index + 1, parameters.get(index));
            }
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    List<Object> group = groups.get((int) result.getLong(1));
                    Object[] row = new Object[group.size() + measures.size()];
                    for (int index = 0; index < group.size(); index++) {
                        row[index] = group.get(index);
                    }
                    for (int index = 0; index < measures.size(); index++) {
                        row[group.size() + index] = result.getLong(index + 2);
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /**
     * Each group's measures from the raw rows of its slot, its keys as the raw row computes them:
     * {@code lost_group}, then the measures in order.
     */
    private static SqlBuilder fromRawRows(RollupTable table, GroupBounds bounds) {
        long milliseconds = table.grain().milliseconds();
        List<RollupTable.Measure> measures = table.measures();
        List<String> columns = new ArrayList<>();
        for (int index = 0; index < measures.size(); index++) {
            columns.add("raw.measure_" + index);
        }
        SqlBuilder select = combined(measures, columns);
        // each raw row's group in a query of its own: the measures' SQL names raw columns, which the join's would shadow
        select.append(" FROM (SELECT tenant_id AS raw_tenant_id, " + DuckDbRollups.floorDivision("time_ms", milliseconds)
                + " AS raw_slot");
        for (int index = 0; index < table.keys().size(); index++) {
            select.append(", " + table.keys().get(index).sql() + " AS raw_key_" + index);
        }
        for (int index = 0; index < measures.size(); index++) {
            select.append(", " + measures.get(index).sql() + " AS measure_" + index);
        }
        select.append(" FROM " + table.source().tableName() + " WHERE " + table.sourceCondition()
                + " AND tenant_id IN ").values(bounds.tenants()).append(" AND time_ms >= ")
                .value(bounds.firstSlot() * milliseconds).append(" AND time_ms < ")
                .value((bounds.lastSlot() + 1) * milliseconds).append(") AS raw JOIN ");
        select.append(LostGroups.table(table) + " AS lost ON raw.raw_tenant_id = lost.tenant_id AND raw.raw_slot = lost.slot");
        for (int index = 0; index < table.keys().size(); index++) {
            select.append(" AND raw.raw_key_" + index + " IS NOT DISTINCT FROM lost.key_" + index);
        }
        return select.append(" GROUP BY lost.lost_group");
    }

    /**
     * Each group's measures combined from the rows of {@link Rollups#finer} in its slot, as they stand
     * in this write (that table's deltas and rebuilds come first): a day of one model is 24 hours of
     * rollup rows, where its raw rows are every request of the day. A sum of the hours' sums, a
     * minimum of their minimums: exactly the day's.
     */
    private static SqlBuilder fromFinerRows(RollupTable table, RollupTable finer, GroupBounds bounds) {
        long ratio = table.grain().milliseconds() / finer.grain().milliseconds();
        List<RollupTable.Measure> measures = table.measures();
        List<String> columns = new ArrayList<>();
        for (RollupTable.Measure measure : measures) {
            columns.add("finer." + measure.name());
        }
        String finerSlot = "finer." + finer.grain().column();
        SqlBuilder select = combined(measures, columns).append(" FROM " + finer.name() + " AS finer JOIN ");
        select.append(LostGroups.table(table) + " AS lost ON finer.tenant_id = lost.tenant_id AND "
                + DuckDbRollups.floorDivision(finerSlot, ratio) + " = lost.slot");
        for (int index = 0; index < table.keys().size(); index++) {
            select.append(" AND finer." + table.keys().get(index).name() + " IS NOT DISTINCT FROM lost.key_" + index);
        }
        select.append(" WHERE finer.tenant_id IN ").values(bounds.tenants()).append(" AND " + finerSlot + " >= ")
                .value(bounds.firstSlot() * ratio).append(" AND " + finerSlot + " < ")
                .value((bounds.lastSlot() + 1) * ratio);
        return select.append(" GROUP BY lost.lost_group");
    }

    /** {@code SELECT lost.lost_group} and each measure combined over its column, the identity where there is none. */
    private static SqlBuilder combined(List<RollupTable.Measure> measures, List<String> columns) {
        SqlBuilder select = new SqlBuilder().append("SELECT lost.lost_group");
        for (int index = 0; index < measures.size(); index++) {
            RollupTable.Measure measure = measures.get(index);
            String column = columns.get(index);
            switch (measure.combine()) {
                case SUM -> select.append(", CAST(sum(" + column + ") AS BIGINT)");
                case MIN -> select.append(", CAST(coalesce(min(" + column + "), ").value(measure.identity())
                        .append(") AS BIGINT)");
                case MAX -> select.append(", CAST(coalesce(max(" + column + "), ").value(measure.identity())
                        .append(") AS BIGINT)");
            }
        }
        return select;
    }

    /**
     * The groups' tenants and slot range: plain conjuncts that DuckDB prunes row groups with, beside
     * the groups' own join or conditions, which alone would read the whole table every write.
     */
    private record GroupBounds(Set<Object> tenants, long firstSlot, long lastSlot) {
        static GroupBounds of(Collection<List<Object>> groups) {
            Set<Object> tenants = new TreeSet<>();
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (List<Object> group : groups) {
                tenants.add(group.get(0));
                first = Math.min(first, (Long) group.get(1));
                last = Math.max(last, (Long) group.get(1));
            }
            return new GroupBounds(tenants, first, last);
        }

        /** On the rows of the table named {@code stored}. */
        SqlBuilder appendRollupBounds(SqlBuilder sql, RollupTable table) {
            String slot = "stored." + table.grain().column();
            return sql.append("stored.tenant_id IN ").values(tenants).append(" AND " + slot + " >= ").value(firstSlot)
                    .append(" AND " + slot + " <= ").value(lastSlot);
        }
    }
}
