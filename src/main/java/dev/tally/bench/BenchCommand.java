package dev.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tally.app.Version;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tally bench}: one reproducible run that measures, side by side, the raw DuckDB Appender
 * rate, Tally's HTTP ingest rate, every report's latency over HTTP, the same questions in plain SQL
 * over raw tables (DuckDB, and PostgreSQL when given a running cluster), and the server's peak
 * memory. Writes {@code results-<events>.json} and {@code .md} to {@code --out}.
 *
 * <p>With {@code --store clickhouse} the same run goes against a two-shard ClickHouse cluster
 * (started by the bench, or given with {@code --clickhouse-url}): the raw insert rate of the same
 * rows over ClickHouse's HTTP interface replaces the Appender, plain SQL runs on ClickHouse, and the
 * files are {@code results-clickhouse-<events>.*}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BudgetBench.class, FairnessBench.class},
        description = "Benchmark ingest and reports with deterministic generated usage;"
                + " 'bench budgets' benchmarks budget enforcement.")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--events", defaultValue = "1000000", description = "Events to generate (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--batch", defaultValue = "5000", description = "Events per HTTP request (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--clients", defaultValue = "4", description = "Concurrent ingest clients (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--requests", defaultValue = "200", description = "Requests per report (default ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--sql-requests", defaultValue = "30",
            description = "Plain-SQL repetitions per report and engine (default ${DEFAULT-VALUE}).")
    int sqlRequests;

    @Option(names = "--server-heap", defaultValue = "2g", description = "The server's -Xmx (default ${DEFAULT-VALUE}).")
    String serverHeap;

    @Option(names = "--seed", defaultValue = "1", description = "Generator seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--days", defaultValue = "90", description = "Days of usage to generate (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--work-dir", defaultValue = "bench/work", description = "Scratch files (default ${DEFAULT-VALUE}).")
    Path workDirectory;

    @Option(names = "--out", defaultValue = "bench/results", description = "Where results go (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--preload", description = "Load all but the last --ingest-events events straight into the"
            + " server's store (DuckDB: CSV reader, rollups rebuilt; ClickHouse: direct inserts, rollups recomputed)"
            + " before it starts; HTTP ingest then sends the rest."
            + " For runs too large to send whole over HTTP (100M).")
    boolean preload;

    @Option(names = "--ingest-events", defaultValue = "2000000",
            description = "With --preload: events sent over HTTP after the preload (default ${DEFAULT-VALUE}).")
    long ingestEvents;

    @Option(names = "--reports", split = ",", paramLabel = "<report>",
            description = "Reports to measure, comma-separated (default: every one): a report that takes seconds on a"
                    + " store can be left out of a long run and measured on its own.")
    List<String> reports;

    @Option(names = "--keep-preloaded",
            description = "With --preload and --clickhouse-url: keep the database an earlier run preloaded, when it"
                    + " holds exactly the events the preload would load, instead of loading it again (the 100M preload"
                    + " takes an hour). The server then opens it as it finds it.")
    boolean keepPreloaded;

    @Option(names = "--revisions", defaultValue = "0",
            description = "Share of events (after the first batch) sent as a later revision of an event of the batch"
                    + " before, e.g. 0.05 (default ${DEFAULT-VALUE}); not with --preload.")
    double revisionShare;

    @Option(names = "--psql", description = "psql binary; with --pg-port, also run the plain SQL on PostgreSQL.")
    String psql;

    @Option(names = "--pg-port", description = "Port of a scratch PostgreSQL cluster (the script starts one).")
    Integer postgresPort;

    @Option(names = "--store", defaultValue = "duckdb",
            description = "Store the server runs on: duckdb or clickhouse (default ${DEFAULT-VALUE}).")
    String storeName;

    @Option(names = "--clickhouse-url",
            description = "With --store clickhouse: endpoints of an existing cluster, comma-separated (every node when"
                    + " it has no ZooKeeper); default: the bench starts a two-shard local cluster and stops it.")
    String clickHouseUrl;

    @Option(names = "--clickhouse-cluster", defaultValue = "tally",
            description = "remote_servers name of the --clickhouse-url cluster (default ${DEFAULT-VALUE}).")
    String clickHouseCluster;

    @Option(names = "--end", description = "Time of the last generated event, e.g. 2026-03-01T00:00:00Z"
            + " (default: 10 minutes ago); the same value makes two runs generate the same events and requests.")
    Instant end;

    @Option(names = "--side-by-side", arity = "2", paramLabel = "<results.json>",
            description = "Print one table of a DuckDB and a ClickHouse results file (in that order) and exit.")
    List<Path> sideBySide;

    Store store;

    /** Whether the run measures the report. */
    boolean measures(String report) {
        return reports == null || reports.contains(report);
    }

    /** Where the benchmarked server keeps its events. */
    enum Store {
        DUCKDB, CLICKHOUSE;

        static Store parse(String name, CommandSpec spec) {
            for (Store store : values()) {
                if (store.name().equalsIgnoreCase(name.trim())) {
                    return store;
                }
            }
            throw new ParameterException(spec.commandLine(), "--store must be duckdb or clickhouse, not " + name);
        }

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public Integer call() throws Exception {
        store = Store.parse(storeName, spec);
        if (sideBySide != null) {
            ObjectMapper mapper = new ObjectMapper();
            System.out.println(SideBySide.render(mapper.readTree(sideBySide.get(0).toFile()),
                    mapper.readTree(sideBySide.get(1).toFile())));
            return 0;
        }
        if (revisionShare < 0 || revisionShare >= 1) {
            throw new ParameterException(spec.commandLine(), "--revisions must be at least 0 and below 1, not "
                    + revisionShare);
        }
        if (revisionShare > 0 && preload) {
            throw new ParameterException(spec.commandLine(), "--revisions is for runs sent whole over HTTP, not with"
                    + " --preload");
        }
        if (reports != null) {
            for (String report : reports) {
                if (!List.of(ReportRequests.REPORTS).contains(report)) {
                    throw new ParameterException(spec.commandLine(), "--reports: no report is called " + report
                            + "; the reports are " + String.join(", ", ReportRequests.REPORTS));
                }
            }
        }
        if (keepPreloaded && (!preload || clickHouseUrl == null || store != Store.CLICKHOUSE)) {
            throw new ParameterException(spec.commandLine(), "--keep-preloaded needs --store clickhouse, --preload and"
                    + " --clickhouse-url");
        }
        BenchRun run = new BenchRun(this);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("store", store.label());
        results.put("machine", Machine.describe());
        results.put("versions", Map.of("tally", Version.CURRENT, "java", System.getProperty("java.version"),
                "duckdb", Machine.duckDbVersion()));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("events", events);
        settings.put("batch", batch);
        settings.put("clients", clients);
        settings.put("requests", requests);
        settings.put("sql_requests", sqlRequests);
        settings.put("server_heap", serverHeap);
        settings.put("seed", seed);
        settings.put("days", days);
        settings.put("preloaded", preload);
        settings.put("revision_share", revisionShare);
        settings.put("reports", reports == null ? List.of(ReportRequests.REPORTS) : reports);
        results.put("settings", settings);
        run.execute(results);
        Files.createDirectories(out);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        // DuckDB keeps the names earlier results have; other stores say theirs, so no run overwrites another store's
        String name = switch (store) {
            case DUCKDB -> "results-" + events;
            case CLICKHOUSE -> "results-clickhouse-" + events;
        };
        Path json = out.resolve(name + ".json");
        mapper.writeValue(json.toFile(), results);
        JsonNode tree = mapper.valueToTree(results);
        String markdown = MarkdownReport.render(tree);
        Files.writeString(out.resolve(name + ".md"), markdown);
        System.out.println(markdown);
        System.out.println("written: " + json + " and " + out.resolve(name + ".md"));
        return 0;
    }

    static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
