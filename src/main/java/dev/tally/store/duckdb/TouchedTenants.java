package dev.tally.store.duckdb;

import dev.tally.store.callcost.CallCostDeltas;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenants that may have calls listed in {@link CallCostDeltas#CHANGED_TABLE}, known to the
 * writer without asking the table: a call-cost report of any other tenant reads its ready rows
 * alone, one query fewer on every report of a quiet tenant. A tenant is added before the write
 * that lists its calls commits, and all are forgotten only after a refresh or rebuild that empties
 * the list commits, so a reader that finds a tenant absent reads ready rows no later write has
 * yet changed. A write rolled back leaves its tenants here: a needless query, never a wrong answer.
 */
final class TouchedTenants {
    private final Set<String> tenants = ConcurrentHashMap.newKeySet();

    /** Before the write listing a call of the tenant commits. */
    void touching(String tenantId) {
        tenants.add(tenantId);
    }

    /** After a transaction that emptied the list committed, on the writer's thread, before its next write. */
    void refreshed() {
        tenants.clear();
    }

    /** Whether the tenant may have listed calls; false only when it has none. */
    boolean mayHaveTouched(String tenantId) {
        return tenants.contains(tenantId);
    }

    /** At opening: the tenants a store that ended before refreshing left listed. */
    void load(Connection connection) throws SQLException {
        tenants.clear();
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT DISTINCT tenant_id FROM " + CallCostDeltas.CHANGED_TABLE)) {
            while (result.next()) {
                tenants.add(result.getString(1));
            }
        }
    }
}
