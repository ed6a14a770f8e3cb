package dev.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tally.server.Version;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tally bench}: one reproducible run that measures, side by side, the raw DuckDB Appender
 * rate, Tally's HTTP ingest rate, every report's latency over HTTP, the same questions in plain SQL
 * over raw tables (DuckDB, and PostgreSQL when given a running cluster), and the server's peak
 * memory. Writes {@code results.json} and {@code results.md} to {@code --out}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark ingest and reports with deterministic generated usage.")
public final class BenchCommand implements Callable<Integer> {

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
            + " server's store (DuckDB CSV reader, rollups rebuilt) before it starts; HTTP ingest then sends the rest."
            + " For runs too large to send whole over HTTP (100M).")
    boolean preload;

    @Option(names = "--ingest-events", defaultValue = "2000000",
            description = "With --preload: events sent over HTTP after the preload (default ${DEFAULT-VALUE}).")
    long ingestEvents;

    @Option(names = "--psql", description = "psql binary; with --pg-port, also run the plain SQL on PostgreSQL.")
    String psql;

    @Option(names = "--pg-port", description = "Port of a scratch PostgreSQL cluster (the script starts one).")
    Integer postgresPort;

    @Override
    public Integer call() throws Exception {
        BenchRun run = new BenchRun(this);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("machine", Machine.describe());
        results.put("versions", Map.of("tally", Version.CURRENT, "java", System.getProperty("java.version"),
                "duckdb", Machine.duckDbVersion()));
        results.put("settings", Map.of("events", events, "batch", batch, "clients", clients, "requests", requests,
                "sql_requests", sqlRequests, "server_heap", serverHeap, "seed", seed, "days", days,
                "preloaded", preload));
        run.execute(results);
        Files.createDirectories(out);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path json = out.resolve("results-" + events + ".json");
        mapper.writeValue(json.toFile(), results);
        JsonNode tree = mapper.valueToTree(results);
        String markdown = MarkdownReport.render(tree);
        Files.writeString(out.resolve("results-" + events + ".md"), markdown);
        System.out.println(markdown);
        System.out.println("written: " + json + " and " + out.resolve("results-" + events + ".md"));
        return 0;
    }

    static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
