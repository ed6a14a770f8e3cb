package dev.tally.cli;

import dev.tally.app.ServerConfig;
import dev.tally.app.TallyServer;
import dev.tally.demo.DemoData;
import dev.tally.integrations.twilio.TwilioRequestUrl;
import dev.tally.store.clickhouse.ClickHouseConfig;
import dev.tally.store.duckdb.DuckDbDatabase;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tally serve}: runs the server until it is told to stop, then stops gracefully. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the Tally server.")
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "${env:TALLY_HOST:-127.0.0.1}",
            description = "Address to listen on (env TALLY_HOST, default ${DEFAULT-VALUE}); 0.0.0.0 for all.")
    String host;

    @Option(names = "--port", defaultValue = "${env:TALLY_PORT:-8080}",
            description = "Port (env TALLY_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", defaultValue = "${env:TALLY_DATA_DIR:-data}",
            description = "Directory of the embedded store (env TALLY_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDirectory;

    @Option(names = "--admin-token", defaultValue = "${env:TALLY_ADMIN_TOKEN}",
            description = "Token for X-Admin-Token (env TALLY_ADMIN_TOKEN); default: made once and kept in"
                    + " <data-dir>/admin-token.")
    String adminToken;

    @Option(names = "--max-inflight-bytes", defaultValue = "${env:TALLY_MAX_INFLIGHT_BYTES:-0}",
            description = "Request bodies all requests may hold at once; beyond it new bodies get 503 with"
                    + " Retry-After before they are read (default 0: a sixteenth of the heap, at least one"
                    + " largest body).")
    long maxInflightBytes;

    @Option(names = "--max-body-bytes", defaultValue = "${env:TALLY_MAX_BODY_BYTES:-16777216}",
            description = "Largest ingest body (env TALLY_MAX_BODY_BYTES, default ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(names = "--max-concurrent-calls", defaultValue = "${env:TALLY_MAX_CONCURRENT_CALLS:-100}",
            description = "Platform-wide limit on live calls (env TALLY_MAX_CONCURRENT_CALLS, default ${DEFAULT-VALUE}).")
    int maxConcurrentCalls;

    @Option(names = "--fallback-instructions", defaultValue = "${env:TALLY_FALLBACK_INSTRUCTIONS}",
            description = "Instructions for calls of tenants without their own, or when they cannot be read"
                    + " (env TALLY_FALLBACK_INSTRUCTIONS; default none).")
    String fallbackInstructions;

    @Option(names = "--max-call-seconds", defaultValue = "${env:TALLY_MAX_CALL_SECONDS:-7200}",
            description = "A call not ended after this long is ended as failed (env TALLY_MAX_CALL_SECONDS,"
                    + " default ${DEFAULT-VALUE}).")
    long maxCallSeconds;

    @Option(names = "--redis-url", defaultValue = "${env:TALLY_REDIS_URL}",
            description = "Redis holding live call state shared by every instance, e.g. redis://127.0.0.1:6379"
                    + " (env TALLY_REDIS_URL); default: in this process only.")
    String redisUrl;

    @Option(names = "--store", defaultValue = "${env:TALLY_STORE:-duckdb}",
            description = "Where events, tenants and keys live: duckdb (embedded file in --data-dir) or clickhouse"
                    + " (env TALLY_STORE, default ${DEFAULT-VALUE}).")
    String store;

    @Option(names = "--clickhouse-url", defaultValue = "${env:TALLY_CLICKHOUSE_URL}",
            description = "ClickHouse HTTP endpoints, comma-separated, e.g. http://ch1:8123,http://ch2:8123"
                    + " (env TALLY_CLICKHOUSE_URL); any node of the cluster answers, the others are failover.")
    String clickHouseUrl;

    @Option(names = "--clickhouse-database", defaultValue = "${env:TALLY_CLICKHOUSE_DATABASE:-tally}",
            description = "ClickHouse database, created when missing (env TALLY_CLICKHOUSE_DATABASE, default ${DEFAULT-VALUE}).")
    String clickHouseDatabase;

    @Option(names = "--clickhouse-cluster", defaultValue = "${env:TALLY_CLICKHOUSE_CLUSTER}",
            description = "remote_servers cluster for per-shard tables behind Distributed tables"
                    + " (env TALLY_CLICKHOUSE_CLUSTER); default: a single server.")
    String clickHouseCluster;

    @Option(names = "--clickhouse-replicated", defaultValue = "${env:TALLY_CLICKHOUSE_REPLICATED:-false}",
            description = "Per-shard tables are ReplicatedReplacingMergeTree (needs ZooKeeper and {shard}/{replica}"
                    + " macros; env TALLY_CLICKHOUSE_REPLICATED).")
    boolean clickHouseReplicated;

    @Option(names = "--duckdb-memory-limit", defaultValue = "${env:TALLY_DUCKDB_MEMORY_LIMIT:-"
            + ServerConfig.DEFAULT_DUCKDB_MEMORY_LIMIT + "}",
            description = "Memory DuckDB may use for its buffers; beyond it, it spills to disk"
                    + " (env TALLY_DUCKDB_MEMORY_LIMIT, default ${DEFAULT-VALUE}).")
    String duckDbMemoryLimit;

    @Option(names = "--public-url", defaultValue = "${env:TALLY_PUBLIC_URL}",
            description = "The URL callers reach this server at behind a proxy, e.g. https://tally.example.com"
                    + " (env TALLY_PUBLIC_URL); Twilio's signatures are checked over it. Default: each request's"
                    + " own scheme and Host.")
    String publicUrl;

    @Option(names = "--metrics-token", defaultValue = "${env:TALLY_METRICS_TOKEN}",
            description = "A bearer token that may read /metrics besides the admin token, for Prometheus'"
                    + " scrape (env TALLY_METRICS_TOKEN).")
    String metricsToken;

    @Option(names = "--demo", defaultValue = "${env:TALLY_DEMO:-false}",
            description = "Load the demo tenants, keys and 90 days of usage (once) and print what to try.")
    boolean demo;

    @Override
    public Integer call() throws InterruptedException {
        if (!DuckDbDatabase.isMemorySize(duckDbMemoryLimit)) {
            throw new ParameterException(spec.commandLine(), "--duckdb-memory-limit must be a size such as 512MB"
                    + " or 2GB, not '" + duckDbMemoryLimit + "'");
        }
        ServerConfig config = new ServerConfig(host, port, dataDirectory, adminToken, maxBodyBytes,
                maxConcurrentCalls, blankToNull(fallbackInstructions), maxCallSeconds, blankToNull(redisUrl),
                clickHouse(), duckDbMemoryLimit, maxInflightBytes, true, publicUrl(), blankToNull(metricsToken));
        TallyServer server = TallyServer.start(config, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "tally-shutdown"));
        if (demo) {
            server.tally().startup().run("demo_data", () -> DemoData.ensureLoaded(server.tally())).ifPresentOrElse(
                    loaded -> System.out.printf("Loaded %,d demo events in %.1f s.%n", loaded.accepted(),
                            loaded.took().toMillis() / 1000.0),
                    () -> System.out.println("Demo data was loaded before; nothing to load."));
            System.out.println(DemoData.welcome(host, server.port(), server.adminToken(),
                    server.tally().clock().instant()));
        } else {
            String tokenSource = adminToken == null || adminToken.isBlank()
                    ? "in " + dataDirectory.resolve("admin-token") : "as configured";
            System.out.printf("Tally is serving on http://%s:%d (admin token %s)%n", host, server.port(), tokenSource);
        }
        stopped.await();
        return 0;
    }

    /** The ClickHouse settings when {@code --store clickhouse}, else null (the embedded store). */
    private ClickHouseConfig clickHouse() {
        switch (store.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "duckdb":
                return null;
            case "clickhouse":
                List<URI> endpoints = ClickHouseConfig.parseEndpoints(clickHouseUrl);
                if (endpoints.isEmpty()) {
                    throw new ParameterException(spec.commandLine(),
                            "--store clickhouse needs --clickhouse-url (or TALLY_CLICKHOUSE_URL)");
                }
                return new ClickHouseConfig(endpoints, clickHouseDatabase, blankToNull(clickHouseCluster),
                        clickHouseReplicated);
            default:
                throw new ParameterException(spec.commandLine(), "--store must be duckdb or clickhouse, not " + store);
        }
    }

    /** The public URL as the Twilio receiver uses it, or null when none is set. */
    private String publicUrl() {
        try {
            return TwilioRequestUrl.publicBase(blankToNull(publicUrl));
        } catch (IllegalArgumentException wrong) {
            throw new ParameterException(spec.commandLine(), "--public-url " + wrong.getMessage());
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
