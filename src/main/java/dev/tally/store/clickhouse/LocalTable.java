package dev.tally.store.clickhouse;

import dev.tally.store.sql.Row;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A table that stores rows on one node (a per-shard table, or a plain one without a cluster), as
 * the catalog describes it: its columns, and those in its sorting, primary or partition key, which
 * no mutation can change.
 */
record LocalTable(URI node, String name, Set<String> columns, Set<String> keyColumns) {
    private static final String LOCAL = "_local";

    /** The name reports use: the Distributed table over it, or itself. */
    String logical() {
        return name.endsWith(LOCAL) ? name.substring(0, name.length() - LOCAL.length()) : name;
    }

    String quoted() {
        return "`" + name.replace("`", "\\`") + "`";
    }

    /**
     * Every node's stored tables with a {@code tenant_id} column: Distributed tables and views hold
     * no rows of their own. Two plain reads joined here, as this release joins system tables unreliably.
     */
    static List<LocalTable> withTenants(ClickHouseHttp http) {
        List<LocalTable> tables = new ArrayList<>();
        for (URI node : http.endpoints()) {
            Set<String> stored = new HashSet<>();
            for (Row table : http.queryOn(node, "SELECT name, engine FROM system.tables"
                    + " WHERE database = currentDatabase()")) {
                if (table.string("engine").endsWith("MergeTree")) {
                    stored.add(table.string("name"));
                }
            }
            Map<String, Set<String>> columns = new TreeMap<>();
            Map<String, Set<String>> keys = new HashMap<>();
            for (Row column : http.queryOn(node, "SELECT table, name, is_in_partition_key + is_in_sorting_key"
                    + " + is_in_primary_key AS keyed FROM system.columns WHERE database = currentDatabase()")) {
                String table = column.string("table");
                if (stored.contains(table)) {
                    columns.computeIfAbsent(table, any -> new HashSet<>()).add(column.string("name"));
                    if (column.longValue("keyed") > 0) {
                        keys.computeIfAbsent(table, any -> new HashSet<>()).add(column.string("name"));
                    }
                }
            }
            columns.forEach((table, names) -> {
                if (names.contains("tenant_id")) {
                    tables.add(new LocalTable(node, table, names, keys.getOrDefault(table, Set.of())));
                }
            });
        }
        return tables;
    }
}
