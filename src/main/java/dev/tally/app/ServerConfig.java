package dev.tally.app;

import dev.tally.store.clickhouse.ClickHouseConfig;
import java.nio.file.Path;

/**
 * How a Tally server runs. Every value has a default that works on a laptop; flags and environment
 * variables ({@code TALLY_PORT}, {@code TALLY_DATA_DIR}, {@code TALLY_ADMIN_TOKEN}, …) override them.
 *
 * @param adminToken {@code null} means: use the token saved in the data directory, creating it once
 * @param dataDirectory {@code null} means an in-memory store (tests only)
 * @param maxConcurrentCalls the platform-wide limit on calls admitted and not yet ended
 * @param fallbackInstructions handed out when a tenant has none or its settings cannot be read; may be null
 * @param maxCallSeconds a call not ended after this long is ended as failed by the reaper
 * @param redisUrl {@code null} keeps live call state in this process; a URL shares it between instances
 * @param clickHouse {@code null} stores events, tenants and keys in the embedded DuckDB file; set, in ClickHouse
 * @param duckDbMemoryLimit DuckDB's {@code memory_limit} (for example {@code 1GB}): without one DuckDB takes up to
 *     80 % of the machine's memory for its buffers, so the server's footprint would follow the machine, not the
 *     configuration; queries and compactions that need more spill to disk
 * @param maxInflightBytes request bodies all requests together may hold at once; beyond it a new body gets
 *     503 with {@code Retry-After} before it is read; 0 means a sixteenth of the heap, at least one largest body
 * @param rollupReads false reads DuckDB's reports from the raw rows only (the build's test of both ways)
 * @param publicUrl the scheme, host and path prefix callers reach this server at behind a proxy
 *     ({@code https://tally.example.com}); null means each request's own scheme and Host. Twilio signs
 *     the URL it called, so its receiver checks signatures over this URL
 * @param metricsToken a bearer token that may read {@code /metrics} (besides the admin token), so a
 *     Prometheus scrape needs no admin rights; null: only the admin token
 */
public record ServerConfig(String host, int port, Path dataDirectory, String adminToken, long maxBodyBytes,
                           int maxConcurrentCalls, String fallbackInstructions, long maxCallSeconds,
                           String redisUrl, ClickHouseConfig clickHouse, String duckDbMemoryLimit,
                           long maxInflightBytes, boolean rollupReads, String publicUrl, String metricsToken) {
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
    public static final int DEFAULT_MAX_CONCURRENT_CALLS = 100;
    public static final long DEFAULT_MAX_CALL_SECONDS = 7200;
    public static final String DEFAULT_DUCKDB_MEMORY_LIMIT = "1GB";

    /** An in-memory server on a free loopback port, for tests. */
    public static ServerConfig forTests(String adminToken) {
        return new ServerConfig("127.0.0.1", 0, null, adminToken, DEFAULT_MAX_BODY_BYTES,
                DEFAULT_MAX_CONCURRENT_CALLS, null, DEFAULT_MAX_CALL_SECONDS, null, null, DEFAULT_DUCKDB_MEMORY_LIMIT, 0, true, null, null);
    }

    public ServerConfig withDataDirectory(Path directory) {
        return new ServerConfig(host, port, directory, adminToken, maxBodyBytes, maxConcurrentCalls,
                fallbackInstructions, maxCallSeconds, redisUrl, clickHouse, duckDbMemoryLimit, maxInflightBytes, rollupReads, publicUrl, metricsToken);
    }

    public ServerConfig withMaxBodyBytes(long bytes) {
        return new ServerConfig(host, port, dataDirectory, adminToken, bytes, maxConcurrentCalls,
                fallbackInstructions, maxCallSeconds, redisUrl, clickHouse, duckDbMemoryLimit, maxInflightBytes, rollupReads, publicUrl, metricsToken);
    }

    public ServerConfig withMaxConcurrentCalls(int limit) {
        return new ServerConfig(host, port, dataDirectory, adminToken, maxBodyBytes, limit,
                fallbackInstructions, maxCallSeconds, redisUrl, clickHouse, duckDbMemoryLimit, maxInflightBytes, rollupReads, publicUrl, metricsToken);
    }

    public ServerConfig withFallbackInstructions(String instructions) {
        return new ServerConfig(host, port, dataDirectory, adminToken, maxBodyBytes, maxConcurrentCalls,
                instructions, maxCallSeconds, redisUrl, clickHouse, duckDbMemoryLimit, maxInflightBytes, rollupReads, publicUrl, metricsToken);
    }

    public ServerConfig withMaxCallSeconds(long seconds) {
        return new ServerConfig(host, port, dataDirectory, adminToken, maxBodyBytes, maxConcurrentCalls,
                fallbackInstructions, seconds, redisUrl, clickHouse, duckDbMemoryLimit, maxInflightBytes, rollupReads, publicUrl, metricsToken);
    }

    public ServerConfig withMetricsToken(String token) {
        return new ServerConfig(host, port, dataDirectory, adminToken, maxBodyBytes, maxConcurrentCalls,
                fallbackInstructions, maxCallSeconds, redisUrl, clickHouse, duckDbMemoryLimit, maxInflightBytes, rollupReads,
                publicUrl, token);
    }

    public ServerConfig withMaxInflightBytes(long bytes) {
        return new ServerConfig(host, port, dataDirectory, adminToken, maxBodyBytes, maxConcurrentCalls,
                fallbackInstructions, maxCallSeconds, redisUrl, clickHouse, duckDbMemoryLimit, bytes, rollupReads, publicUrl, metricsToken);
    }

    /** The cap in force: as configured, or a sixteenth of the heap; never below one largest body. */
    public long inflightBytesCap() {
        long cap = maxInflightBytes > 0 ? maxInflightBytes : Runtime.getRuntime().maxMemory() / 16;
        return Math.max(cap, maxBodyBytes);
    }

    public ServerConfig withRedisUrl(String url) {
        return new ServerConfig(host, port, dataDirectory, adminToken, maxBodyBytes, maxConcurrentCalls,
                fallbackInstructions, maxCallSeconds, url, clickHouse, duckDbMemoryLimit, maxInflightBytes, rollupReads, publicUrl, metricsToken);
    }

    /**
     * Reports read the DuckDB store as if it had no rollups, every rollup row derived from the raw
     * rows: the build runs the report tests so, to check that both ways answer alike.
     */
    public ServerConfig withoutRollupReads() {
        return new ServerConfig(host, port, dataDirectory, adminToken, maxBodyBytes, maxConcurrentCalls,
                fallbackInstructions, maxCallSeconds, redisUrl, clickHouse, duckDbMemoryLimit, maxInflightBytes, false, publicUrl,
                metricsToken);
    }

    public ServerConfig withClickHouse(ClickHouseConfig store) {
        return new ServerConfig(host, port, dataDirectory, adminToken, maxBodyBytes, maxConcurrentCalls,
                fallbackInstructions, maxCallSeconds, redisUrl, store, duckDbMemoryLimit, maxInflightBytes, rollupReads, publicUrl, metricsToken);
    }

    public ServerConfig withPublicUrl(String url) {
        return new ServerConfig(host, port, dataDirectory, adminToken, maxBodyBytes, maxConcurrentCalls,
                fallbackInstructions, maxCallSeconds, redisUrl, clickHouse, duckDbMemoryLimit, maxInflightBytes, rollupReads,
                url, metricsToken);
    }
}
