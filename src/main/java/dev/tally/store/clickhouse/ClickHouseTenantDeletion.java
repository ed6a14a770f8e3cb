package dev.tally.store.clickhouse;

import dev.tally.store.sql.Row;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Removes a tenant from ClickHouse: on every node, a mutation deleting its rows from every stored
 * table with a {@code tenant_id} column (found in the catalog, so a table added later is not
 * forgotten), and the tenant's own row; then waits until every node has finished them. ClickHouse
 * counts no rows a mutation removes, so the tables are listed with -1.
 */
final class ClickHouseTenantDeletion {
    private static final Duration WAIT = Duration.ofMinutes(10);
    private static final Set<String> TENANT_KEYED = Set.of("tenants", ClickHouseMetadataStore.CLAIMS);

    private ClickHouseTenantDeletion() {
    }

    static Map<String, Long> delete(ClickHouseHttp http, String tenantId) {
        Map<String, Long> removed = new TreeMap<>();
        String tenant = ClickHouseLiterals.string(tenantId);
        for (URI endpoint : http.endpoints()) {
            // two plain reads joined here: this ClickHouse release joins the system tables unreliably
            Map<String, String> engines = new HashMap<>();
            for (Row table : http.queryOn(endpoint, "SELECT name, engine FROM system.tables"
                    + " WHERE database = currentDatabase()")) {
                engines.put(table.string("name"), table.string("engine"));
            }
            for (Row row : http.queryOn(endpoint, "SELECT table, name FROM system.columns"
                    + " WHERE database = currentDatabase() AND name IN ('tenant_id', 'id')")) {
                String table = row.string("table");
                String engine = engines.getOrDefault(table, "");
                if (!engine.endsWith("MergeTree")) {
                    // Distributed tables and views hold no rows of their own
                    continue;
                }
                String logical = table.endsWith("_local") ? table.substring(0, table.length() - "_local".length()) : table;
                String column = row.string("name");
                // the tenant's own row and its claim on the id are keyed by the id itself
                if (column.equals("tenant_id") || (column.equals("id") && TENANT_KEYED.contains(logical))) {
                    http.executeOn(endpoint, "ALTER TABLE `" + table.replace("`", "\\`") + "` DELETE WHERE " + column
                            + " = " + tenant);
                    removed.put(logical, -1L);
                }
            }
        }
        awaitMutations(http, "the tenant's rows are still being removed");
        return removed;
    }

    /** Waits until every node has finished every mutation of the database; {@code what} names them in a timeout. */
    static void awaitMutations(ClickHouseHttp http, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (URI endpoint : http.endpoints()) {
            while (http.queryOn(endpoint, "SELECT count() AS n FROM system.mutations WHERE database = currentDatabase()"
                    + " AND is_done = 0").get(0).longValue("n") > 0) {
                if (System.nanoTime() > deadline) {
                    throw new ClickHouseException(what + " on " + endpoint.getHost()
                            + ":" + endpoint.getPort() + " after " + WAIT.toMinutes() + " minutes", null);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new ClickHouseException("interrupted while waiting: " + what, interrupted);
                }
            }
        }
    }
}
