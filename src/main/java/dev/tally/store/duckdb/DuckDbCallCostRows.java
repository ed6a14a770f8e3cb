package dev.tally.store.duckdb;

import dev.tally.store.callcost.CallCostDeltas;
import dev.tally.store.callcost.CallCostOrder;
import dev.tally.store.callcost.CallCostQuery;
import dev.tally.store.callcost.CallCostReads;
import dev.tally.store.callcost.CostComponent;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
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
    /**
     * Each ready row's rank by cost among its tenant's calls of its UTC day, and of its day and agent,
     * most first and least first ({@code rank()}: equal costs share a rank, so a new name for a call
     * changes none). The first calls of a range of whole days are among the rows ranked at most the
     * list's length ({@link #firstByCost}).
     */
    static final List<String> RANK_COLUMNS = List.of("day_rank_by_cost", "day_rank_by_cost_ascending",
            "day_agent_rank_by_cost", "day_agent_rank_by_cost_ascending");
    /**
     * The ready rows a list can name, kept apart: those ranked within the first {@link #FIRST_RANK}
     * of their day either way, and the mismatched ones. The lists read these few instead of every
     * row of the range, whose listed rows lie in nearly every vector of it.
     */
    static final String LIST_ROWS = "call_cost_list_rows";
    /** The last day rank {@link #LIST_ROWS} and {@link #AGENT_LIST_ROWS} hold, each way. */
    static final int FIRST_RANK = 200;
    private static final String LIST_ROWS_SELECT = "SELECT * FROM " + CALL_ROWS + " WHERE (day_rank_by_cost <= "
            + FIRST_RANK + " OR day_rank_by_cost_ascending <= " + FIRST_RANK + " OR " + CallCostReads.MISMATCHED + ")";
    /**
     * The ready rows an agent's list can name, kept apart as {@link #LIST_ROWS} are for the tenant's:
     * those ranked within the first {@link #FIRST_RANK} of their day and agent either way, sorted by
     * agent and time, so an agent's list reads the row groups of that agent's range, not those of
     * every agent's calls in it (at 10M events, 2.0 ms instead of 3.3 for a quarter's list).
     */
    static final String AGENT_LIST_ROWS = "call_cost_agent_list_rows";
    private static final String AGENT_LIST_ROWS_SELECT = "SELECT * FROM " + CALL_ROWS + " WHERE (day_agent_rank_by_cost <= "
            + FIRST_RANK + " OR day_agent_rank_by_cost_ascending <= " + FIRST_RANK + ")";
    private static final String AGENT_ORDER = " ORDER BY tenant_id, agent_id, time_ms";
    /**
     * The ready rows whose reported total differs from their parts ({@link CallCostReads#MISMATCHED}),
     * kept apart too: few calls are, and the list of them then reads those few, not every listed row
     * of the range only to find none.
     */
    static final String MISMATCHED_ROWS = "call_cost_mismatched_rows";
    /** Without the ranks, which change with the day's other calls while whether a call is mismatched does not. */
    private static final String MISMATCHED_ROWS_SELECT = "SELECT " + rowColumns() + " FROM " + CALL_ROWS + " WHERE "
            + CallCostReads.MISMATCHED;
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
                        .collect(Collectors.joining(", "))
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
        // ranked once the rows are in (rank), among the rows of their days that stay
        return "SELECT *" + RANK_COLUMNS.stream().map(column -> ", NULL::BIGINT AS " + column)
                .collect(Collectors.joining()) + " FROM (" + CallCostReads.perCall("calls WHERE ",
                new Sql(String.format(filter, "calls", "id_hash"), List.of()), new Sql(parts.toString(), List.of())).text()
                + ") AS unranked";
    }

    /** The ready rows' columns but the ranks: tenant_id, call_hash, then {@link CallCostReads#PER_CALL_COLUMNS}. */
    static String rowColumns() {
        return "tenant_id, call_hash, " + String.join(", ", CallCostReads.PER_CALL_COLUMNS);
    }

    /** The ranks of every ready row of the days {@code filter} (over the ready rows) holds, computed again. */
    private static String freshRanks(String filter) {
        String day = "tenant_id, time_ms // " + CallCostReads.DAY_MS;
        return "SELECT rowid AS row_id, " + RANK_COLUMNS.stream().map(column -> column + " AS stored_" + column)
                .collect(Collectors.joining(", "))
                + ", rank() OVER (PARTITION BY " + day + " ORDER BY total_nanos DESC) AS fresh_day_rank_by_cost"
                + ", rank() OVER (PARTITION BY " + day + " ORDER BY total_nanos) AS fresh_day_rank_by_cost_ascending"
                + ", rank() OVER (PARTITION BY " + day + ", agent_id ORDER BY total_nanos DESC)"
                + " AS fresh_day_agent_rank_by_cost"
                + ", rank() OVER (PARTITION BY " + day + ", agent_id ORDER BY total_nanos)"
                + " AS fresh_day_agent_rank_by_cost_ascending FROM " + CALL_ROWS + " WHERE " + filter;
    }

    /** Ranks the ready rows of the days {@code filter} holds, in the caller's transaction. */
    private static void rank(Statement statement, String filter) throws SQLException {
        statement.execute("UPDATE " + CALL_ROWS + " SET " + RANK_COLUMNS.stream()
                .map(column -> column + " = ranked.fresh_" + column).collect(Collectors.joining(", "))
                + " FROM (" + freshRanks(filter) + ") AS ranked WHERE " + CALL_ROWS + ".rowid = ranked.row_id");
    }

    /** Rows of {@link #LIST_ROWS} that are not among the ready rows it should hold as they stand, or missing there (0 when sound). */
    static long misplacedListRows(Statement statement) throws SQLException {
        return misplaced(statement, LIST_ROWS, LIST_ROWS_SELECT);
    }

    /** Rows of {@link #AGENT_LIST_ROWS} that are not among the ready rows it should hold as they stand, or missing there (0 when sound). */
    static long misplacedAgentListRows(Statement statement) throws SQLException {
        return misplaced(statement, AGENT_LIST_ROWS, AGENT_LIST_ROWS_SELECT);
    }

    /** Rows of {@link #MISMATCHED_ROWS} that are not the mismatched ready rows as they stand, or missing there (0 when sound). */
    static long misplacedMismatchedRows(Statement statement) throws SQLException {
        return misplaced(statement, MISMATCHED_ROWS, MISMATCHED_ROWS_SELECT);
    }

    private static long misplaced(Statement statement, String table, String select) throws SQLException {
        try (ResultSet result = statement.executeQuery("SELECT count(*) FROM ((SELECT * FROM " + table
                + " EXCEPT ALL " + select + ") UNION ALL (" + select + " EXCEPT ALL SELECT * FROM " + table
                + ")) AS misplaced")) {
            result.next();
            return result.getLong(1);
        }
    }

    /** Ready rows whose ranks are not those of the ready rows as they stand (the store's check; 0 when sound). */
    static long misranked(Statement statement) throws SQLException {
        try (ResultSet result = statement.executeQuery("SELECT count(*) FROM (" + freshRanks("true") + ") AS ranked"
                + " WHERE " + RANK_COLUMNS.stream().map(column -> "stored_" + column + " IS DISTINCT FROM fresh_" + column)
                        .collect(Collectors.joining(" OR ")))) {
            result.next();
            return result.getLong(1);
        }
    }

    /**
     * A relation of the ready rows of {@code condition}'s calls ranked within the first
     * {@code limit + touched} of their day (and agent, when the request names one) in the order
     * asked: it holds the request's first {@code limit} calls when the request spans whole UTC days
     * and {@code touched} calls of the tenant are read from elsewhere. A call ahead of one of the
     * first in its day is among them or among the touched, so fewer than {@code limit + touched}
     * costs in the day are beyond its own.
     */
    static Sql firstByCost(CallCostQuery request, Sql condition, long touched) {
        String rank = (request.agentId() == null ? "day_rank_by_cost" : "day_agent_rank_by_cost")
                + (request.order() == CallCostOrder.COST_ASC ? "_ascending" : "");
        String rows = request.limit() + touched > FIRST_RANK ? CALL_ROWS
                : request.agentId() == null ? LIST_ROWS : AGENT_LIST_ROWS;
        return new SqlBuilder().append("SELECT " + String.join(", ", CallCostReads.PER_CALL_COLUMNS)
                + " FROM " + rows + " WHERE ").append(condition).append(" AND " + rank + " <= ")
                .value(request.limit() + touched).build();
    }

    /** The ready rows of {@code condition}'s calls that may be mismatched: all that are, as they stand. */
    static Sql mismatchCandidates(Sql condition) {
        return new SqlBuilder().append("SELECT " + String.join(", ", CallCostReads.PER_CALL_COLUMNS)
                + " FROM " + MISMATCHED_ROWS + " WHERE ").append(condition).build();
    }

    static void create(Statement statement) throws SQLException {
        statement.execute("CREATE TABLE IF NOT EXISTS " + CALL_ROWS + " AS " + CALL_ROWS_SELECT + " LIMIT 0");
        statement.execute("CREATE TABLE IF NOT EXISTS " + DAY_ROWS + " AS " + DAY_ROWS_SELECT + " LIMIT 0");
        // ready rows of the last release, which had no ranks: ranked where they are (some cannot be rebuilt)
        boolean unranked;
        try (ResultSet result = statement.executeQuery("SELECT count(*) FROM information_schema.columns"
                + " WHERE table_name = '" + CALL_ROWS + "' AND column_name = '" + RANK_COLUMNS.get(0) + "'")) {
            result.next();
            unranked = result.getLong(1) == 0;
        }
        if (unranked) {
            for (String column : RANK_COLUMNS) {
                statement.execute("ALTER TABLE " + CALL_ROWS + " ADD COLUMN " + column + " BIGINT");
            }
            rank(statement, "true");
        }
        // a file of the last release has ranked rows but not the listed ones apart
        if (count(statement, "information_schema.tables WHERE table_name = '" + LIST_ROWS + "'") == 0) {
            statement.execute("CREATE TABLE " + LIST_ROWS + " AS " + LIST_ROWS_SELECT + " ORDER BY tenant_id, time_ms");
        }
        // nor, until this one, an agent's listed rows apart
        if (count(statement, "information_schema.tables WHERE table_name = '" + AGENT_LIST_ROWS + "'") == 0) {
            statement.execute("CREATE TABLE " + AGENT_LIST_ROWS + " AS " + AGENT_LIST_ROWS_SELECT + AGENT_ORDER);
        }
        // nor, until the last one, the mismatched rows
        if (count(statement, "information_schema.tables WHERE table_name = '" + MISMATCHED_ROWS + "'") == 0) {
            statement.execute("CREATE TABLE " + MISMATCHED_ROWS + " AS " + MISMATCHED_ROWS_SELECT
                    + " ORDER BY tenant_id, time_ms");
        }
    }

    static void drop(Statement statement) throws SQLException {
        statement.execute("DROP TABLE IF EXISTS " + LIST_ROWS);
        statement.execute("DROP TABLE IF EXISTS " + AGENT_LIST_ROWS);
        statement.execute("DROP TABLE IF EXISTS " + MISMATCHED_ROWS);
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
        rank(statement, "true");
        statement.execute("DELETE FROM " + LIST_ROWS);
        statement.execute("INSERT INTO " + LIST_ROWS + " " + LIST_ROWS_SELECT + " ORDER BY tenant_id, time_ms");
        statement.execute("DELETE FROM " + AGENT_LIST_ROWS);
        statement.execute("INSERT INTO " + AGENT_LIST_ROWS + " " + AGENT_LIST_ROWS_SELECT + AGENT_ORDER);
        statement.execute("DELETE FROM " + MISMATCHED_ROWS);
        statement.execute("INSERT INTO " + MISMATCHED_ROWS + " " + MISMATCHED_ROWS_SELECT + " ORDER BY tenant_id, time_ms");
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
        // whether a call is mismatched is its own row's alone: the touched calls' rows are copied again as they now stand
        statement.execute("DELETE FROM " + MISMATCHED_ROWS + " WHERE " + String.format(isTouched, MISMATCHED_ROWS,
                "call_hash"));
        statement.execute("INSERT INTO " + MISMATCHED_ROWS + " " + MISMATCHED_ROWS_SELECT + " AND "
                + String.format(isTouched, CALL_ROWS, "call_hash") + " ORDER BY tenant_id, time_ms");
        // every row of a day that lost or gained a call, or a cost, is ranked again
        String inTouchedDays = "EXISTS (SELECT 1 FROM " + TOUCHED_DAYS + " d WHERE d.tenant_id = %1$s.tenant_id"
                + " AND d.call_day = %1$s.time_ms // " + CallCostReads.DAY_MS + ")";
        rank(statement, String.format(inTouchedDays, CALL_ROWS));
        statement.execute("DELETE FROM " + LIST_ROWS + " WHERE " + String.format(inTouchedDays, LIST_ROWS));
        statement.execute("INSERT INTO " + LIST_ROWS + " " + LIST_ROWS_SELECT + " AND "
                + String.format(inTouchedDays, CALL_ROWS) + " ORDER BY tenant_id, time_ms");
        statement.execute("DELETE FROM " + AGENT_LIST_ROWS + " WHERE " + String.format(inTouchedDays, AGENT_LIST_ROWS));
        statement.execute("INSERT INTO " + AGENT_LIST_ROWS + " " + AGENT_LIST_ROWS_SELECT + " AND "
                + String.format(inTouchedDays, CALL_ROWS) + AGENT_ORDER);
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
