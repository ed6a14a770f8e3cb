package dev.tally.store.clickhouse;

import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.SqlBuilder;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Retention on ClickHouse: a tenant's raw events (chat events apart, which later messages are
 * credited through) and calls before the horizon are deleted by a mutation on every node, and
 * everything made from them stays. Its hours' rollups are recomputed first, from raw rows that are
 * still whole, then the horizon is recorded ({@link ClickHouseKeptFrom}), so those hours are never
 * recomputed again nor derived from the rows about to go; only then are the rows deleted.
 *
 * <p>A mutation rewrites the parts it touches, so nothing is mutated while nothing is due: the
 * horizon moves once a day, and a run finding no row before it does nothing.
 */
final class ClickHouseRetention {
    private ClickHouseRetention() {
    }

    static Map<String, Long> deleteBefore(ClickHouseHttp http, ClickHouseRollups rollups, String tenantId,
                                          long horizonMs, Consumer<ClickHouseRetentionStep> faults) {
        Map<String, Long> deleted = new TreeMap<>();
        long keptFrom = rollups.keptFrom().all().getOrDefault(tenantId, ClickHouseKeptFrom.WHOLE);
        boolean any = false;
        for (RawTable table : RawTable.values()) {
            // physical rows first: cheap, and a run with nothing to delete stops here
            any |= count(http, table.tableName() + " WHERE ", tenantId, horizonMs, table) > 0;
        }
        if (!any && keptFrom >= horizonMs) {
            for (RawTable table : RawTable.values()) {
                deleted.put(table.tableName(), 0L);
            }
            return deleted;
        }
        for (RawTable table : RawTable.values()) {
            deleted.put(table.tableName(), count(http, ClickHouseSchema.rows(table), tenantId, horizonMs, table));
        }
        rollups.recomputeBefore(tenantId, horizonMs);
        faults.accept(ClickHouseRetentionStep.ROLLUPS_RECOMPUTED);
        if (keptFrom < horizonMs) {
            rollups.keptFrom().record(tenantId, horizonMs);
        }
        faults.accept(ClickHouseRetentionStep.HORIZON_RECORDED);
        for (LocalTable local : LocalTable.withTenants(http)) {
            for (RawTable table : RawTable.values()) {
                if (local.logical().equals(table.tableName()) || local.logical().equals(leftByUpgrade(table))) {
                    http.executeOn(local.node(), "ALTER TABLE " + local.quoted() + " DELETE WHERE "
                            + ClickHouseLiterals.bind(condition(tenantId, horizonMs, table)));
                    faults.accept(ClickHouseRetentionStep.TABLE_DELETED);
                }
            }
        }
        ClickHouseTenantDeletion.awaitMutations(http, "the rows before the retention horizon are still being deleted");
        return deleted;
    }

    /** The copy of the raw table an upgrade left (read by nothing, but raw events all the same): it loses the same rows. */
    private static String leftByUpgrade(RawTable table) {
        return switch (table) {
            case EVENTS -> ClickHouseSchema.EVENTS_BEFORE_REVISIONS;
            case CALLS -> ClickHouseSchema.CALLS_BEFORE_TIME_ORDER;
        };
    }

    /** Rows of {@code rows} (a table and an open {@code WHERE}) before the horizon. */
    private static long count(ClickHouseHttp http, String rows, String tenantId, long horizonMs, RawTable table) {
        return http.query(ClickHouseLiterals.bind(new SqlBuilder().append("SELECT count() AS n FROM " + rows)
                .append(condition(tenantId, horizonMs, table)).build())).get(0).longValue("n");
    }

    private static dev.tally.store.sql.Sql condition(String tenantId, long horizonMs, RawTable table) {
        SqlBuilder condition = new SqlBuilder().append("tenant_id = ").value(tenantId).append(" AND time_ms < ")
                .value(horizonMs);
        return switch (table) {
            case EVENTS -> condition.append(" AND type != 'chat'").build();
            case CALLS -> condition.build();
        };
    }
}
