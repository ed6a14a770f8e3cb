package dev.tally.store.clickhouse;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * Where the ClickHouse store lives.
 *
 * @param endpoints HTTP endpoints, e.g. {@code http://ch1:8123}; with a cluster any node answers for the
 *     Distributed tables, so the list is for failover and (without ZooKeeper) for creating the schema on each node
 * @param database created at start when missing
 * @param cluster a {@code remote_servers} cluster name: tables become per-shard tables plus a Distributed
 *     table over them; {@code null} for a single server
 * @param replicated per-shard tables are {@code ReplicatedReplacingMergeTree} (needs ZooKeeper and the
 *     {@code {shard}}/{@code {replica}} macros on every node) rather than {@code ReplacingMergeTree}
 */
public record ClickHouseConfig(List<URI> endpoints, String database, String cluster, boolean replicated) {
    public static final String DEFAULT_DATABASE = "tally";

    public ClickHouseConfig {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("the ClickHouse store needs at least one URL (--clickhouse-url)");
        }
        endpoints = List.copyOf(endpoints);
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("the ClickHouse database must be a plain identifier, not " + database);
        }
        if (cluster != null && !cluster.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("the ClickHouse cluster must be a plain name, not " + cluster);
        }
    }

    /** Parses {@code http://a:8123,http://b:8123}. */
    public static List<URI> parseEndpoints(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(text -> !text.isEmpty())
                .map(text -> URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text))
                .peek(uri -> {
                    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                        throw new IllegalArgumentException("a ClickHouse URL must be http(s)://host:port, not " + uri);
                    }
                })
                .toList();
    }

    public boolean clustered() {
        return cluster != null;
    }

    public ClickHouseConfig withDatabase(String name) {
        return new ClickHouseConfig(endpoints, name, cluster, replicated);
    }

    /** For logs and the health output: the endpoints and the database, never credentials. */
    public String describe() {
        return endpoints.stream().map(uri -> uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort())
                .reduce((left, right) -> left + "," + right).orElse("")
                + "/" + database + (cluster == null ? "" : " (cluster " + cluster + ")");
    }
}
