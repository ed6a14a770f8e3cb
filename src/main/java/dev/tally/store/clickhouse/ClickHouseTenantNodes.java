package dev.tally.store.clickhouse;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which node holds a tenant's rows, so that one tenant's report runs there on the per-shard tables.
 *
 * <p>Every table is sharded by tenant, so all of a tenant's rows are on one shard. Through a
 * Distributed table, each subquery costs a round trip between the servers even when only one shard
 * holds rows; on the shard's own node, over its per-shard tables, none does. A tenant is placed by
 * asking each endpoint whether its {@code rollup_marks} holds any of the tenant's hours (every write
 * marks its hours first): placed only when exactly one endpoint does, since a replica behind
 * another endpoint, or a shard no endpoint reaches, must not be guessed at. Unplaced tenants (new
 * ones, or replicated shards) are read through the Distributed tables, as every read was before.
 *
 * <p>A query runs on the node once each reference to a sharded table ({@code FROM} or {@code JOIN}
 * followed by its name, as the store renders them) names the per-shard table; a reference written
 * any other way stays on the Distributed table, which answers the same, only slower.
 */
final class ClickHouseTenantNodes {
    private static final Pattern REFERENCE = Pattern.compile("\\b(FROM|JOIN)\\s+([A-Za-z_][A-Za-z0-9_]*)\\b");
    /** How long a tenant found nowhere is not looked for again: a new tenant's first hours are marked within it. */
    private static final long UNPLACED_NANOS = 10_000_000_000L;

    private final ClickHouseHttp http;
    private final boolean clustered;
    private final String cluster;
    private final Map<String, URI> placed = new ConcurrentHashMap<>();
    private final Map<String, Long> unplacedSince = new ConcurrentHashMap<>();
    private volatile Set<String> sharded;
    private volatile List<URI> shardNodes;

    ClickHouseTenantNodes(ClickHouseHttp http, ClickHouseConfig config) {
        this.http = http;
        this.clustered = config.clustered() && !config.replicated();
        this.cluster = config.cluster();
    }

    /**
     * Every endpoint, when each is the one replica of a shard of its own and together they are the
     * whole cluster: a read of every tenant can then ask each node for the tenants it holds, over its
     * per-shard tables, and the answers add up to the cluster's. Empty otherwise (replicas, a shard
     * no endpoint reaches, one node), and such reads go through the Distributed tables.
     */
    List<URI> shardNodes() {
        List<URI> nodes = shardNodes;
        if (nodes == null) {
            nodes = List.of();
            List<URI> endpoints = http.endpoints();
            if (clustered && endpoints.size() > 1) {
                String clusterName = ClickHouseLiterals.string(cluster);
                dev.tally.store.sql.Row whole = http.queryOn(endpoints.get(0), "SELECT count() AS replicas,"
                        + " uniqExact(shard_num) AS shards FROM system.clusters WHERE cluster = " + clusterName).get(0);
                Set<Long> own = new HashSet<>();
                boolean oneEach = whole.longValue("replicas") == endpoints.size()
                        && whole.longValue("shards") == endpoints.size();
                for (URI endpoint : endpoints) {
                    List<dev.tally.store.sql.Row> local = http.queryOn(endpoint, "SELECT toInt64(shard_num) AS shard"
                            + " FROM system.clusters WHERE cluster = " + clusterName + " AND is_local = 1");
                    oneEach &= local.size() == 1 && own.add(local.get(0).longValue("shard"));
                }
                nodes = oneEach ? List.copyOf(endpoints) : List.of();
            }
            shardNodes = nodes;
        }
        return nodes;
    }

    /** The node holding the tenant's rows, when exactly one endpoint does; empty without a cluster. */
    Optional<URI> nodeOf(String tenantId) {
        if (!clustered || tenantId == null || http.endpoints().size() < 2) {
            return Optional.empty();
        }
        URI known = placed.get(tenantId);
        if (known != null) {
            return Optional.of(known);
        }
        Long since = unplacedSince.get(tenantId);
        if (since != null && System.nanoTime() - since < UNPLACED_NANOS) {
            return Optional.empty();
        }
        URI holder = null;
        for (URI endpoint : http.endpoints()) {
            long hours = http.queryOn(endpoint, "SELECT count() AS n FROM " + ClickHouseSchema.localName(
                    ClickHouseRollups.MARKS) + " WHERE tenant_id = " + ClickHouseLiterals.string(tenantId))
                    .get(0).longValue("n");
            if (hours > 0) {
                if (holder != null) {
                    unplacedSince.put(tenantId, System.nanoTime());
                    return Optional.empty();
                }
                holder = endpoint;
            }
        }
        if (holder == null) {
            unplacedSince.put(tenantId, System.nanoTime());
            return Optional.empty();
        }
        placed.put(tenantId, holder);
        unplacedSince.remove(tenantId);
        return Optional.of(holder);
    }

    /** The query with each reference to a sharded table naming its per-shard table instead. */
    String onShard(String sql) {
        Set<String> tables = shardedTables();
        Matcher reference = REFERENCE.matcher(sql);
        StringBuilder local = new StringBuilder();
        while (reference.find()) {
            String table = reference.group(2);
            reference.appendReplacement(local, Matcher.quoteReplacement(tables.contains(table)
                    ? reference.group(1) + " " + ClickHouseSchema.localName(table) : reference.group()));
        }
        return reference.appendTail(local).toString();
    }

    private Set<String> shardedTables() {
        Set<String> tables = sharded;
        if (tables == null) {
            tables = new HashSet<>();
            List<dev.tally.store.sql.Row> rows = http.queryOn(http.endpoints().get(0), "SELECT name FROM system.tables"
                    + " WHERE database = currentDatabase() AND endsWith(name, '_local') AND endsWith(engine, 'MergeTree')");
            for (dev.tally.store.sql.Row row : rows) {
                String name = row.string("name");
                tables.add(name.substring(0, name.length() - "_local".length()));
            }
            sharded = Set.copyOf(tables);
        }
        return tables;
    }
}
