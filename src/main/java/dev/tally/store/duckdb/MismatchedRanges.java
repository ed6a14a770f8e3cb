package dev.tally.store.duckdb;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per tenant, the times between which its mismatched ready rows ({@link DuckDbCallCostRows#MISMATCHED_ROWS})
 * lie, known to the writer without asking the table: a call-cost report of a range outside them
 * has no mismatched call, and skips the query that would find none (most tenants have none at all).
 *
 * <p>Only a refresh or rebuild of the ready rows adds mismatched rows. Before its transaction
 * commits, the ranges are widened to hold what that transaction now holds too; after it commits,
 * they become exactly those. A reader that finds a range outside its own therefore reads a
 * snapshot with no mismatched row there, whichever side of the commit it reads. A transaction
 * rolled back leaves the ranges wider, and anything that only deletes rows (retention, erasure,
 * a tenant's deletion) leaves them wider too: a needless query, never a missed call.
 */
final class MismatchedRanges {
    private final Map<String, long[]> ranges = new ConcurrentHashMap<>();

    /**
     * In the transaction of a refresh or rebuild, before it commits: the ranges as it now holds
     * them, which the current ones are widened to hold; pass them to {@link #committed} after the commit.
     */
    Map<String, long[]> widen(Statement statement) throws SQLException {
        Map<String, long[]> held = read(statement);
        held.forEach((tenant, range) -> ranges.merge(tenant, range, (current, added) ->
                new long[] {Math.min(current[0], added[0]), Math.max(current[1], added[1])}));
        return held;
    }

    /** After the transaction {@link #widen} read committed: the ranges are exactly what it held. */
    void committed(Map<String, long[]> held) {
        ranges.keySet().retainAll(held.keySet());
        ranges.putAll(held);
    }

    /** At opening, and after any other committed change that may add mismatched rows. */
    void load(Statement statement) throws SQLException {
        committed(read(statement));
    }

    /** Whether the tenant may have a mismatched ready row started in [fromMs, toMs); false only when it has none. */
    boolean mayHave(String tenantId, long fromMs, long toMs) {
        long[] range = ranges.get(tenantId);
        return range != null && range[0] < toMs && range[1] >= fromMs;
    }

    private static Map<String, long[]> read(Statement statement) throws SQLException {
        Map<String, long[]> held = new HashMap<>();
        try (ResultSet result = statement.executeQuery("SELECT tenant_id, min(time_ms), max(time_ms) FROM "
                + DuckDbCallCostRows.MISMATCHED_ROWS + " GROUP BY tenant_id")) {
            while (result.next()) {
                held.put(result.getString(1), new long[] {result.getLong(2), result.getLong(3)});
            }
        }
        return held;
    }
}
