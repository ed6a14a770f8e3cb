package dev.tally.bench;

import dev.tally.store.sql.EventColumn;
import dev.tally.store.sql.EventColumns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The report questions in plain SQL on PostgreSQL: the raw {@code events} and {@code calls} tables
 * exported from the server's DuckDB file, loaded with COPY, indexed on (tenant_id, type, time_ms),
 * and queried through one {@code psql} session with {@code \timing}, so process start-up is not
 * counted.
 */
final class PostgresComparison {
    private static final Pattern TIME = Pattern.compile("^Time: ([0-9.]+) ms", Pattern.MULTILINE);

    private final String psql;
    private final int port;
    private final Path work;

    PostgresComparison(String psql, int port, Path work) {
        this.psql = psql;
        this.port = port;
        this.work = work;
    }

    Map<String, Object> run(Path store, List<List<ReportRequests.Request>> requests) throws Exception {
        Path eventsCsv = work.resolve("events.csv");
        Path callsCsv = work.resolve("calls.csv");
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + store, readOnly);
             Statement statement = connection.createStatement()) {
            statement.execute("COPY events TO '" + eventsCsv + "' (HEADER false)");
            statement.execute("COPY calls TO '" + callsCsv + "' (HEADER false)");
        }
        String columns = EventColumns.ALL.stream().map(PostgresComparison::column).collect(Collectors.joining(", "));
        long loadStarted = System.nanoTime();
        psql("DROP TABLE IF EXISTS events; DROP TABLE IF EXISTS calls;"
                + " CREATE TABLE events (" + columns + "); CREATE TABLE calls (" + columns + ");"
                + " \\copy events FROM '" + eventsCsv + "' WITH (FORMAT csv)\n"
                + " \\copy calls FROM '" + callsCsv + "' WITH (FORMAT csv)\n"
                + " CREATE INDEX events_scope ON events (tenant_id, type, time_ms);"
                + " CREATE INDEX calls_scope ON calls (tenant_id, time_ms); ANALYZE;");
        double loadSeconds = (System.nanoTime() - loadStarted) / 1e9;
        Files.deleteIfExists(eventsCsv);
        Files.deleteIfExists(callsCsv);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("load_seconds_copy_and_index", BenchRun.round(loadSeconds));
        for (int report = 0; report < ReportRequests.REPORTS.length; report++) {
            StringBuilder script = new StringBuilder("SET max_parallel_workers_per_gather = 2;\n");
            List<ReportRequests.Request> list = requests.get(report);
            if (list.isEmpty()) {
                continue;
            }
            // The first pass warms the cache and is not counted.
            for (int index = 0; index < list.size() + 2; index++) {
                String sql = list.get(index % list.size()).postgresSql();
                script.append(index < 2 ? "\\timing off\n" : "\\timing on\n");
                // several statements of one request are one request: their times are added up below
                script.append(sql.replace("; ", ";\n")).append(";\n");
            }
            String output = psql(script.toString());
            List<Double> times = new ArrayList<>();
            Matcher matcher = TIME.matcher(output);
            while (matcher.find()) {
                times.add(Double.parseDouble(matcher.group(1)));
            }
            int statementsPerRequest = list.get(0).postgresSql().split("; ").length;
            Latencies latencies = new Latencies();
            for (int index = 0; index + statementsPerRequest <= times.size(); index += statementsPerRequest) {
                double total = 0;
                for (int part = 0; part < statementsPerRequest; part++) {
                    total += times.get(index + part);
                }
                latencies.addMillis(total);
            }
            figures.put(ReportRequests.REPORTS[report], Map.of("p50_ms", BenchRun.round(latencies.percentileMs(0.5)),
                    "p99_ms", BenchRun.round(latencies.percentileMs(0.99)), "requests", latencies.count()));
        }
        return figures;
    }

    private static String column(EventColumn column) {
        String type = switch (column.kind()) {
            case STRING -> "text";
            case LONG -> "bigint";
            case INTEGER -> "integer";
        };
        return column.name() + " " + type;
    }

    private String psql(String script) throws IOException, InterruptedException {
        Path file = Files.createTempFile(work, "script", ".sql");
        Files.writeString(file, script);
        Process process = new ProcessBuilder(psql, "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres",
                "-d", "postgres", "-q", "-v", "ON_ERROR_STOP=1", "-o", "/dev/null", "-f", file.toString())
                .redirectErrorStream(false).start();
        String output = new String(process.getInputStream().readAllBytes());
        String errors = new String(process.getErrorStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("psql failed: " + errors);
        }
        Files.delete(file);
        return output;
    }
}
