package dev.tally.store.duckdb;

import dev.tally.store.rollup.RollupRead;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.duckdb.DuckDBConnection;

/**
 * The groups of the rollup tables with minimums or maximums whose stored extremes may be out of
 * date. A correction that takes a group's minimum away cannot be written as a delta: a minimum
 * takes no value back. Rebuilding such groups in the write itself cost the writer about a tenth of
 * its time with 5 % of events corrected (issue #14). So the write lists them instead, in its own
 * transaction, beside delta rows whose sums are exact and whose minimums and maximums are bounds.
 * The listed groups are rebuilt together later ({@link #rebuild}): when the writer is idle, once
 * enough are listed, at opening, before a check, and when a read needs one.
 *
 * <p>A read of a minimum or maximum from such a table is {@link #guarded}: it fails with
 * {@link #MARK} when the groups it would read are listed in its own snapshot, and the store then
 * rebuilds them and reads again with writes held off. A read only of sums never asks.
 */
final class StaleExtremes {
    /** Listed groups after which the writer rebuilds them even while busy, so a read rarely meets one. */
    static final long REBUILD_AFTER = 20_000;
    /** In the error a guarded read raises when it meets a listed group. */
    static final String MARK = "tally: stale extremes";

    private StaleExtremes() {
    }

    /** The tables whose groups can be listed: those with a minimum or a maximum. */
    static List<RollupTable> tables() {
        return Rollups.ALL.stream().filter(table -> !table.onlySums()).toList();
    }

    /** The list of a table: its groups' columns under the rollup's own names, so joins read alike. */
    static String listName(RollupTable table) {
        return table.name() + "_stale";
    }

    static void createTables(Statement statement) throws SQLException {
        for (RollupTable table : tables()) {
            StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS " + listName(table)
                    + " (tenant_id VARCHAR NOT NULL, " + table.grain().column() + " BIGINT NOT NULL");
            for (var key : table.keys()) {
                ddl.append(", ").append(key.name()).append(" ").append(DuckDbSchema.sqlType(key));
            }
            statement.execute(ddl.append(")").toString());
        }
    }

    static void dropTables(Statement statement) throws SQLException {
        for (RollupTable table : tables()) {
            statement.execute("DROP TABLE IF EXISTS " + listName(table));
        }
    }

    /** Lists the groups (tenant, slot, keys…), in the caller's open transaction; a group listed twice is rebuilt once. */
    static void list(DuckDBConnection connection, RollupTable table, Collection<List<Object>> groups)
            throws SQLException {
        List<Object[]> rows = new ArrayList<>(groups.size());
        for (List<Object> group : groups) {
            rows.add(group.toArray());
        }
        AppenderValues.appendRows(connection, listName(table), rows);
    }

    /** Rows listed in every table, duplicates counted. */
    static long listed(DuckDBConnection connection) throws SQLException {
        long rows = 0;
        try (Statement statement = connection.createStatement()) {
            for (RollupTable table : tables()) {
                try (ResultSet result = statement.executeQuery("SELECT count(*) FROM " + listName(table))) {
                    result.next();
                    rows += result.getLong(1);
                }
            }
        }
        return rows;
    }

    /**
     * Rebuilds every listed group from its stored rows and empties the lists, in the caller's open
     * transaction. Finer tables first ({@link Rollups#ALL}'s order): a day is rebuilt from its hours,
     * which must be exact by then. Returns the groups rebuilt.
     */
    static long rebuild(DuckDBConnection connection) throws SQLException {
        long rebuilt = 0;
        for (RollupTable table : tables()) {
            List<List<Object>> groups = new ArrayList<>();
            String columns = "tenant_id, " + table.grain().column()
                    + table.keys().stream().map(key -> ", " + key.name()).reduce("", String::concat);
            for (Row row : DuckDbEventStore.run(connection, new Sql("SELECT DISTINCT " + columns + " FROM "
                    + listName(table), List.of()))) {
                List<Object> group = new ArrayList<>();
                group.add(row.string("tenant_id"));
                group.add(row.longValue(table.grain().column()));
                for (var key : table.keys()) {
                    Object value = row.get(key.name());
                    group.add(value instanceof Number number && !(value instanceof Integer) ? number.longValue() : value);
                }
                groups.add(group);
            }
            if (!groups.isEmpty()) {
                LostExtremes.rebuild(connection, table, groups);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DELETE FROM " + listName(table));
                }
                rebuilt += groups.size();
            }
        }
        return rebuilt;
    }

    /**
     * The read's relation, failing with {@link #MARK} when a group it reads from the rollup table is
     * listed; the relation itself where the read takes no minimum or maximum from the table.
     */
    static Sql guarded(RollupRead read, Sql relation) {
        RollupTable table = read.table();
        boolean readsExtremes = read.selectedMeasures().stream()
                .anyMatch(measure -> measure.combine() != RollupTable.Combine.SUM);
        long firstSlot = table.grain().slotAtOrAfter(read.fromMs());
        long endSlot = Math.floorDiv(read.toMs(), table.grain().milliseconds());
        // a read with raw conditions or within one slot is derived from the raw rows, exact already
        if (table.onlySums() || !readsExtremes || !read.rawEquals().isEmpty() || firstSlot >= endSlot) {
            return relation;
        }
        String slot = table.grain().column();
        SqlBuilder sql = new SqlBuilder().append("(SELECT * FROM ").append(relation)
                .append(" AS guarded WHERE (SELECT CASE WHEN count(*) = 0 THEN true ELSE error('" + MARK
                        + "') END FROM " + listName(table) + " WHERE ");
        if (read.tenantId() != null) {
            sql.append("tenant_id = ").value(read.tenantId()).append(" AND ");
        }
        return sql.append(slot + " >= ").value(firstSlot).append(" AND " + slot + " < ").value(endSlot)
                .append("))").build();
    }

    /** Whether a failed read failed on {@link #guarded}'s check. */
    static boolean raisedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (String.valueOf(cause.getMessage()).contains(MARK)) {
                return true;
            }
        }
        return false;
    }
}
