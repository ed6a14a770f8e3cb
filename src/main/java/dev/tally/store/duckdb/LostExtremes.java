package dev.tally.store.duckdb;

import dev.tally.event.Event;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.duckdb.DuckDBConnection;

/**
 * The groups of a rollup table with minimums or maximums that a write's corrections may have taken
 * an extreme from, and their rebuild: a minimum cannot take a value back, so such a group is made
 * again from what it holds. The write only lists them ({@link StaleExtremes}); the rebuild comes later.
 */
final class LostExtremes {
    private LostExtremes() {
    }

    /**
     * The groups that may have lost one of their extremes in this write ({@link Rollups.Deltas#keepsExtremes}),
     * by what memory proves without a query: a group whose extremes are known ({@link GroupStates}), one
     * held whole ({@link GroupMembers#whole}) by its own rows, another by the held rows that stay
     * ({@link GroupMembers#provablyKeepsExtremes}). Any group memory cannot clear is among them.
     */
    static Set<List<Object>> mayHaveLost(RollupTable table, Rollups.Deltas deltas, GroupMembers members) {
        Set<List<Object>> lost = new HashSet<>();
        for (List<Object> group : deltas.lost(table).keySet()) {
            // the known state first: a map lookup, where a group held whole is listed from the rows held
            GroupStates.State stored = members.storedState(table, group);
            boolean keeps;
            if (stored != null) {
                keeps = deltas.keepsExtremes(table, group, stored.extremes());
            } else {
                List<Event> whole = members.whole(table, group);
                keeps = whole != null ? deltas.keepsExtremes(table, group, GroupMembers.extremes(table, whole))
                        : members.provablyKeepsExtremes(table, group, deltas);
            }
            if (!keeps) {
                lost.add(group);
            }
        }
        return lost;
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
     * Rebuilds groups of a table with minimums or maximums, in the caller's transaction: their rows
     * are deleted and made again from the finer table's rows where there is one, else from the raw
     * rows of the groups' slots, aggregated by DuckDB from the measures' SQL, which equals their
     * Java value by {@link RollupTable.Measure}'s contract (the identity where SQL has none). A
     * rebuilt group equals a backfilled one; a group with no rows left gets none.
     */
    static void rebuild(DuckDBConnection connection, RollupTable table, List<List<Object>> groups)
            throws SQLException {
        GroupBounds bounds = GroupBounds.of(groups);
        // by row id from a select: DuckDB binds a DELETE's WHERE before its USING, so their parameters would swap
        SqlBuilder delete = new SqlBuilder().append("DELETE FROM " + table.name() + " WHERE rowid IN (SELECT stored.rowid FROM "
                + table.name() + " AS stored JOIN ");
        LostGroups.fill(connection, table, groups);
        delete.append(LostGroups.table(table) + " AS lost ON ");
        appendGroupMatch(delete, table).append(" WHERE ");
        bounds.appendRollupBounds(delete, table).append(")");
        DuckDbEventStore.update(connection, delete.build());
        AppenderValues.appendRows(connection, table.name(), fromStoredRows(connection, table, groups));
    }

    /** The groups' rows from the finer table's rows or the raw rows, one query, {@link LostGroups} filled with them. */
    private static List<Object[]> fromStoredRows(DuckDBConnection connection, RollupTable table,
            List<List<Object>> groups) throws SQLException {
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
