package dev.tally.store.duckdb;

import dev.tally.store.rollup.MemberUsageRollup;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * Recomputes the rollups in a scope from the raw tables and compares them, group by group, with
 * what the store holds. It works in one transaction: the scope's rollup rows are set aside, deleted
 * and rebuilt by the very code that rebuilds a store's rollups, and the rebuilt groups compared with
 * those set aside; the transaction is then rolled back, or committed to repair. A check of
 * everything covers the per-call cost tables too ({@link CallCostCheck}).
 */
public final class RollupCheck {

    /**
     * What a check found.
     *
     * @param differences per table, the groups that differ (missing, extra, or with other sums)
     * @param repaired whether the rebuilt rows replaced the differing ones
     */
    public record Result(Map<String, Long> differences, boolean repaired, long milliseconds) {
        public long total() {
            return differences.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private RollupCheck() {
    }

    static Result run(DuckDBConnection connection, DuckDbRollups rollups, RollupScope scope, boolean repair)
            throws SQLException {
        long started = System.nanoTime();
        Map<String, String> foldedSelects = new LinkedHashMap<>();
        Map<String, String> groupKeys = new LinkedHashMap<>();
        for (RollupTable table : Rollups.ALL) {
            foldedSelects.put(table.name(), DuckDbRollups.folded(table, scope));
            groupKeys.put(table.name(), "tenant_id, " + table.grain().column() + table.keys().stream()
                    .map(key -> ", " + key.name()).collect(java.util.stream.Collectors.joining()));
        }
        foldedSelects.put(MemberUsageRollup.TABLE, DuckDbRollups.foldedMemberUsage(scope));
        groupKeys.put(MemberUsageRollup.TABLE, "tenant_id, day, member_id");
        Map<String, Long> differences = new LinkedHashMap<>();
        DuckDbTransaction.begin(connection);
        boolean commit = false;
        Runnable afterCommit = () -> { };
        try (Statement statement = connection.createStatement()) {
            int index = 0;
            for (Map.Entry<String, String> table : foldedSelects.entrySet()) {
                statement.execute("CREATE OR REPLACE TEMP TABLE rollup_check_held_" + index++ + " AS "
                        + table.getValue());
            }
            for (RollupTable table : Rollups.ALL) {
                statement.execute("DELETE FROM " + table.name() + " WHERE true"
                        + scope.rollupRows(table.name(), table.grain()));
            }
            statement.execute("DELETE FROM " + MemberUsageRollup.TABLE + " WHERE true"
                    + scope.rollupRows(MemberUsageRollup.TABLE, RollupTable.Grain.DAY));
            rollups.backfillEventRollups(connection, scope);
            statement.execute(DuckDbRollups.memberUsageBackfill(scope));
            index = 0;
            for (Map.Entry<String, String> table : foldedSelects.entrySet()) {
                String held = "rollup_check_held_" + index++;
                String rebuilt = "(" + table.getValue() + ")";
                // a group with other sums is in both directions of the difference: count groups, not rows
                differences.put(table.getKey(), count(statement, "SELECT count(*) FROM (SELECT DISTINCT "
                        + groupKeys.get(table.getKey()) + " FROM ((SELECT * FROM " + held + " EXCEPT ALL SELECT * FROM "
                        + rebuilt + ") UNION ALL (SELECT * FROM " + rebuilt + " EXCEPT ALL SELECT * FROM " + held
                        + ")))"));
            }
            if (scope == RollupScope.KEPT_DAYS) {
                differences.putAll(CallCostCheck.run(connection, rollups));
            }
            commit = repair && differences.values().stream().anyMatch(count -> count > 0);
            if (commit && scope == RollupScope.KEPT_DAYS) {
                afterCommit = rollups.rebuildingReadyRows(statement);
            }
        } catch (SQLException | RuntimeException failure) {
            DuckDbTransaction.rollbackQuietly(connection);
            rollups.rolledBack();
            throw failure;
        }
        if (commit) {
            DuckDbTransaction.commit(connection);
            afterCommit.run();
        } else {
            DuckDbTransaction.rollbackQuietly(connection);
        }
        // the rebuilt rows are not a write's deltas; the next fold counts them
        rollups.rolledBack();
        return new Result(differences, commit, (System.nanoTime() - started) / 1_000_000);
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
