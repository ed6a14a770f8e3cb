package dev.tally.store.duckdb;

import dev.tally.store.callcost.CallCostDeltas;
import dev.tally.store.callcost.CallCostReads;
import dev.tally.store.callcost.CostComponent;
import dev.tally.store.sql.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.duckdb.DuckDBConnection;

/**
 * The call-cost reports' rows kept ready: every call's row (its state, parts and their sum) and
 * the sums of those rows by tenant, UTC day and agent. Both are rebuilt together when the
 * per-call cost table is folded, in the fold's transaction, and the calls a write touched since
 * are listed in {@link CallCostDeltas#CHANGED_TABLE}: a report reads those from their current
 * rows and takes their ready rows back out of the day sums.
 */
final class DuckDbCallCostRows {
    /** Every call's ready row, sorted by tenant and time so a range reads its row groups only. */
    static final String CALL_ROWS = "call_cost_calls";
    /** The ready rows' sums by (tenant, day, agent), in {@link CallCostReads#GROUP_COLUMNS} after the tenant. */
    static final String DAY_ROWS = "call_cost_days";
    private static final String CALL_ROWS_SELECT = callRowsSelect("true");
    private static final String DAY_ROWS_SELECT = daySums("true");
    /** The calls a write touched since the last refresh, each once, and the day groups they were or are in. */
    private static final String TOUCHED = "call_cost_touched";
    private static final String TOUCHED_DAYS = "call_cost_touched_days";

    /** The day sums of the ready call rows that meet {@code filter} (over {@code ready_calls}: tenant_id, call_day, agent_id). */
    private static String daySums(String filter) {
        return "SELECT tenant_id, call_day, agent_id, "
                + CallCostReads.GROUP_COLUMNS.subList(2, CallCostReads.GROUP_COLUMNS.size()).stream()
                        .map(column -> "sum(" + column + ")::BIGINT AS " + column)
                        .collect(java.util.stream.Collectors.joining(", "))
                + " FROM (SELECT tenant_id, time_ms // " + CallCostReads.DAY_MS + " AS call_day, agent_id, "
                + CallCostReads.groupMeasures("1") + " FROM " + CALL_ROWS + ") AS ready_calls WHERE " + filter
                + " GROUP BY tenant_id, call_day, agent_id";
    }

    private DuckDbCallCostRows() {
    }

    /** The day sums of the ready call rows as they stand. */
    static String daySumsSelect() {
        return DAY_ROWS_SELECT;
    }

    /**
     * The ready rows of the calls that meet the filter: a {@code String.format} pattern of a
     * condition over a table ({@code %1$s}) and its column of the call's hash ({@code %2$s}).
     */
    private static String callRowsSelect(String filter) {
        StringBuilder parts = new StringBuilder("(SELECT tenant_id, call_id AS call_key");
        for (CostComponent component : CostComponent.PARTS) {
            parts.append(", sum(").append(component.column()).append(")::BIGINT AS part_").append(component.key());
        }
        parts.append(", sum(unpriced)::BIGINT AS part_unpriced FROM ").append(CallCostDeltas.TABLE).append(" WHERE ")
                .append(String.format(filter, CallCostDeltas.TABLE, "call_hash")).append(" GROUP BY tenant_id, call_id)");
        return CallCostReads.perCall("calls WHERE ", new Sql(String.format(filter, "calls", "id_hash"), List.of()),
                new Sql(parts.toString(), List.of())).text();
    }

    static void create(Statement statement) throws SQLException {
        statement.execute("CREATE TABLE IF NOT EXISTS " + CALL_ROWS + " AS " + CALL_ROWS_SELECT + " LIMIT 0");
        statement.execute("CREATE TABLE IF NOT EXISTS " + DAY_ROWS + " AS " + DAY_ROWS_SELECT + " LIMIT 0");
    }

    static void drop(Statement statement) throws SQLException {
        statement.execute("DROP TABLE IF EXISTS " + CALL_ROWS);
        statement.execute("DROP TABLE IF EXISTS " + DAY_ROWS);
    }

    /** Rebuilds both from the calls and the folded per-call costs, in the caller's transaction; returns the call rows made. */
    static long rebuild(Statement statement) throws SQLException {
        // a call before its tenant's retention horizon has no raw row to be rebuilt from: its ready row stays
        statement.execute("DELETE FROM " + CALL_ROWS + " WHERE true" + DuckDbRetention.kept(CALL_ROWS,
                CALL_ROWS + ".time_ms"));
        statement.execute("INSERT INTO " + CALL_ROWS + " SELECT * FROM (" + CALL_ROWS_SELECT
                + ") ORDER BY tenant_id, time_ms");
        statement.execute("DELETE FROM " + DAY_ROWS);
        statement.execute("INSERT INTO " + DAY_ROWS + " SELECT * FROM (" + DAY_ROWS_SELECT
                + ") ORDER BY tenant_id, call_day");
        statement.execute("DELETE FROM " + CallCostDeltas.CHANGED_TABLE);
        return count(statement, CALL_ROWS);
    }

    /**
     * Brings the ready rows of the calls a write touched since up to date, in the caller's
     * transaction, without rebuilding the others: their rows are replaced, and the day sums of the
     * groups they were or now are in are summed again. A report then reads ready rows only, however
     * few writes came since the last full rebuild. Returns the calls refreshed.
     */
    static long refreshTouched(Statement statement) throws SQLException {
        statement.execute("CREATE OR REPLACE TEMP TABLE " + TOUCHED + " AS SELECT DISTINCT tenant_id, call_hash FROM "
                + CallCostDeltas.CHANGED_TABLE);
        long touched = count(statement, TOUCHED);
        if (touched == 0) {
            statement.execute("DROP TABLE " + TOUCHED);
            return 0;
        }
        String isTouched = "EXISTS (SELECT 1 FROM " + TOUCHED + " t WHERE t.tenant_id = %1$s.tenant_id"
                + " AND t.call_hash = %1$s.%2$s)";
        String groupOf = "tenant_id, time_ms // " + CallCostReads.DAY_MS + " AS call_day, agent_id";
        // a call before its tenant's retention horizon has no raw row to be made again from: its ready row stays
        String replaced = String.format(isTouched, CALL_ROWS, "call_hash")
                + DuckDbRetention.kept(CALL_ROWS, CALL_ROWS + ".time_ms");
        statement.execute("CREATE OR REPLACE TEMP TABLE " + TOUCHED_DAYS + " AS SELECT DISTINCT " + groupOf + " FROM "
                + CALL_ROWS + " WHERE " + replaced);
        statement.execute("DELETE FROM " + CALL_ROWS + " WHERE " + replaced);
        statement.execute("INSERT INTO " + CALL_ROWS + " SELECT * FROM (" + callRowsSelect(isTouched)
                + ") ORDER BY tenant_id, time_ms");
        statement.execute("INSERT INTO " + TOUCHED_DAYS + " SELECT DISTINCT " + groupOf + " FROM " + CALL_ROWS
                + " WHERE " + String.format(isTouched, CALL_ROWS, "call_hash"));
        String inTouchedDay = "EXISTS (SELECT 1 FROM " + TOUCHED_DAYS + " d WHERE d.tenant_id = %1$s.tenant_id"
                + " AND d.call_day = %1$s.call_day AND d.agent_id IS NOT DISTINCT FROM %1$s.agent_id)";
        statement.execute("DELETE FROM " + DAY_ROWS + " WHERE " + String.format(inTouchedDay, DAY_ROWS));
        statement.execute("INSERT INTO " + DAY_ROWS + " SELECT * FROM (" + daySums(String.format(inTouchedDay,
                "ready_calls")) + ") ORDER BY tenant_id, call_day");
        statement.execute("DELETE FROM " + CallCostDeltas.CHANGED_TABLE);
        statement.execute("DROP TABLE " + TOUCHED);
        statement.execute("DROP TABLE " + TOUCHED_DAYS);
        return touched;
    }

    /**
     * A store from before the ready rows, or before their day sums, has them built once: the
     * reports would not see its calls otherwise.
     */
    static void rebuildIfMissing(DuckDBConnection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            boolean callsReady = count(statement, CALL_ROWS) > 0 || count(statement, "calls") == 0;
            boolean daysReady = count(statement, DAY_ROWS) > 0 || count(statement, CALL_ROWS) == 0;
            if (callsReady && daysReady) {
                return;
            }
        }
        DuckDbTransaction.inTransaction(connection, () -> {
            try (Statement statement = connection.createStatement()) {
                rebuild(statement);
            }
            return null;
        });
    }

    private static long count(Statement statement, String table) throws SQLException {
        try (ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table)) {
            result.next();
            return result.getLong(1);
        }
    }
}
