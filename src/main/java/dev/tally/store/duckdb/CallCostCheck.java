package dev.tally.store.duckdb;

import dev.tally.store.callcost.CallCostDeltas;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * The per-call cost tables checked against the raw rows, in the caller's transaction: the per-call
 * costs rebuilt from every stored event naming a call, the ready call rows rebuilt from those, and
 * the ready day sums against the ready call rows they were made from. What the check rebuilt stays
 * in place, for the caller to commit (a repair) or roll back.
 *
 * <p>The first and last part times are left out of the comparison: a part taken back by a revision
 * leaves them wider than a rebuild makes them, on purpose ({@link CallCostDeltas}). Calls a write
 * touched since the ready rows were built are left out of the ready rows' comparison: their ready
 * rows are known to be stale, and no report reads them.
 */
final class CallCostCheck {
    private static final String HELD_COSTS = "call_cost_check_held_costs";
    private static final String HELD_CALLS = "call_cost_check_held_calls";
    private static final String HELD_DAYS = "call_cost_check_held_days";

    private CallCostCheck() {
    }

    /** Differing groups per table: calls for the per-call costs and the ready rows, (tenant, day, agent) for the day sums. */
    static Map<String, Long> run(DuckDBConnection connection, DuckDbRollups rollups) throws SQLException {
        List<String> compared = CallCostDeltas.COLUMNS.stream()
                .filter(column -> !column.equals("first_ms") && !column.equals("last_ms")).toList();
        // a tenant that deleted raw rows (retention) has calls whose parts can no longer be added up again
        String whole = DuckDbRetention.tenantWhole("checked");
        String costs = "SELECT " + String.join(", ", compared) + " FROM (" + DuckDbRollups.foldedCallCosts()
                + ") AS checked WHERE true" + whole;
        String notTouched = notListedIn(CallCostDeltas.CHANGED_TABLE) + whole;
        Map<String, Long> differences = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE OR REPLACE TEMP TABLE " + HELD_COSTS + " AS " + costs);
            // the ranks are checked against the rows as they stand: a touched call's stale row still ranks its day's others
            differences.put(DuckDbCallCostRows.CALL_ROWS + " ranks", DuckDbCallCostRows.misranked(statement));
            differences.put(DuckDbCallCostRows.LIST_ROWS, DuckDbCallCostRows.misplacedListRows(statement));
            differences.put(DuckDbCallCostRows.AGENT_LIST_ROWS, DuckDbCallCostRows.misplacedAgentListRows(statement));
            differences.put(DuckDbCallCostRows.MISMATCHED_ROWS, DuckDbCallCostRows.misplacedMismatchedRows(statement));
            statement.execute("CREATE OR REPLACE TEMP TABLE " + HELD_CALLS + " AS SELECT "
                    + DuckDbCallCostRows.rowColumns() + " FROM " + DuckDbCallCostRows.CALL_ROWS + notTouched);
            statement.execute("CREATE OR REPLACE TEMP TABLE " + HELD_DAYS + " AS SELECT * FROM "
                    + DuckDbCallCostRows.DAY_ROWS);
            // the day sums were made from the ready call rows, touched ones included
            differences.put(DuckDbCallCostRows.DAY_ROWS, differingGroups(statement, "tenant_id, call_day, agent_id",
                    HELD_DAYS, "(" + DuckDbCallCostRows.daySumsSelect() + ")"));
            statement.execute("DELETE FROM " + CallCostDeltas.TABLE + " WHERE true"
                    + DuckDbRetention.tenantWhole(CallCostDeltas.TABLE));
            rollups.backfillCallCosts(connection, DuckDbRetention.tenantWhole("events"));
            differences.put(CallCostDeltas.TABLE, differingGroups(statement, "tenant_id, call_hash", HELD_COSTS,
                    "(" + costs + ")"));
            // the rebuild empties the touched list: the rows left out are those touched before it
            statement.execute("CREATE OR REPLACE TEMP TABLE call_cost_check_touched AS SELECT * FROM "
                    + CallCostDeltas.CHANGED_TABLE);
            DuckDbCallCostRows.rebuild(statement);
            differences.put(DuckDbCallCostRows.CALL_ROWS, differingGroups(statement, "tenant_id, call_hash", HELD_CALLS,
                    "(SELECT " + DuckDbCallCostRows.rowColumns() + " FROM " + DuckDbCallCostRows.CALL_ROWS
                            + notListedIn("call_cost_check_touched") + whole + ")"));
            for (String table : List.of(HELD_COSTS, HELD_CALLS, HELD_DAYS, "call_cost_check_touched")) {
                statement.execute("DROP TABLE " + table);
            }
        }
        return differences;
    }

    /** A condition on a table of calls: the call is not in {@code listed} (tenant_id, call_hash). */
    private static String notListedIn(String listed) {
        return " AS checked WHERE NOT EXISTS (SELECT 1 FROM " + listed + " AS listed WHERE listed.tenant_id ="
                + " checked.tenant_id AND listed.call_hash = checked.call_hash)";
    }

    /** Groups in one relation but not the other, or in both with other values: each counted once. */
    private static long differingGroups(Statement statement, String keys, String held, String rebuilt)
            throws SQLException {
        try (ResultSet result = statement.executeQuery("SELECT count(*) FROM (SELECT DISTINCT " + keys
                + " FROM ((SELECT * FROM " + held + " EXCEPT ALL SELECT * FROM " + rebuilt + ") UNION ALL (SELECT * FROM "
                + rebuilt + " EXCEPT ALL SELECT * FROM " + held + ")))")) {
            result.next();
            return result.getLong(1);
        }
    }
}
