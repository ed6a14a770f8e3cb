package dev.tally.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A tiny benchmark run on each store, end to end: generator, raw store rate, HTTP ingest, every
 * report over HTTP, plain SQL, result files. The two runs use the same end time, so they generate the
 * same events and requests and must store the same totals and give byte-identical report answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenchCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String END = "2026-03-01T00:00:00Z";

    private Path directory;
    private JsonNode duckDb;
    private JsonNode preloaded;
    private JsonNode duckDbRevised;
    private JsonNode clickHouseRevised;
    private Path clickHouseWork;

    @BeforeAll
    void runBothStores(@TempDir Path directory) throws Exception {
        this.directory = directory;
        duckDb = run("duckdb", "results-5000.json");
        // the way 100M runs go: all but the last 2,000 events loaded straight into the store
        preloaded = run("duckdb", "results-5000.json", "--preload", "--ingest-events", "2000");
        // ClickHouse runs once, with revisions (a run waits a minute for its hours to settle): its steps,
        // and its answers against DuckDB's to the same events
        duckDbRevised = run("duckdb", "results-5000.json", "--revisions", "0.1");
        clickHouseRevised = run("clickhouse", "results-clickhouse-5000.json", "--revisions", "0.1");
    }

    private JsonNode run(String store, String resultFile, String... more) throws Exception {
        Path work = directory.resolve("work-" + store + more.length);
        if (store.equals("clickhouse")) {
            clickHouseWork = work;
        }
        Path out = directory.resolve("out");
        List<String> arguments = new ArrayList<>(List.of("--store", store, "--events", "5000",
                "--batch", "1000", "--clients", "2", "--requests", "5", "--sql-requests", "3", "--server-heap", "256m",
                "--end", END, "--work-dir", work.toString(), "--out", out.toString()));
        arguments.addAll(List.of(more));
        int exit = new CommandLine(new BenchCommand()).execute(arguments.toArray(String[]::new));
        assertThat(exit).isZero();
        assertThat(out.resolve(resultFile.replace(".json", ".md"))).exists();
        return MAPPER.readTree(out.resolve(resultFile).toFile());
    }

    @Test
    void duckDbRunMeasuresEveryStep() {
        assertThat(duckDb.path("store").asText()).isEqualTo("duckdb");
        assertThat(duckDb.path("raw_appender").path("events_per_second").asLong()).isPositive();
        assertIngestAndReports(duckDb, "plain_sql_duckdb");
        // the request threads parsed 5,000 events: the server used CPU during the ingest, and names where
        JsonNode serverCpu = duckDb.path("http_ingest").path("cpu_seconds_by_thread").path("server");
        assertThat(serverCpu.path("total").asDouble()).isPositive();
        assertThat(serverCpu.path("tally-writer").isNumber()).isTrue();
    }

    @Test
    void clickHouseRunMeasuresEveryStepAndStopsItsCluster() {
        JsonNode clickHouse = clickHouseRevised;
        assertThat(clickHouse.path("store").asText()).isEqualTo("clickhouse");
        for (String pass : List.of("one_client", "concurrent")) {
            JsonNode raw = clickHouse.path("raw_clickhouse").path(pass);
            assertThat(raw.path("events_per_second").asLong()).as(pass).isPositive();
            assertThat(raw.path("rows_stored").asLong()).as(pass).isEqualTo(5000);
        }
        assertThat(clickHouse.path("raw_clickhouse").path("concurrent").path("clients").asInt()).isEqualTo(2);
        assertThat(clickHouse.path("clickhouse").path("version").asText()).isNotBlank();
        assertThat(clickHouse.path("clickhouse").path("peak_rss_mib_per_server")).hasSize(2);
        clickHouse.path("clickhouse").path("peak_rss_mib_per_server")
                .forEach(peak -> assertThat(peak.asLong()).isPositive());
        assertIngestAndReports(clickHouse, "plain_sql_clickhouse");
        String workDirectory = clickHouseWork.toString();
        assertThat(ProcessHandle.allProcesses()
                .filter(process -> String.join(" ", process.info().arguments().orElse(new String[0]))
                        .contains(workDirectory))
                .toList()).as("processes left running from " + workDirectory).isEmpty();
        assertThat(Files.exists(clickHouseWork.resolve("clickhouse"))).isFalse();
    }

    @Test
    void bothStoresStoreTheSameEventsAndAnswerEveryReportAlike() {
        assertThat(clickHouseRevised.path("stored")).isEqualTo(duckDbRevised.path("stored"));
        assertThat(duckDb.path("stored").path("events").asLong() + duckDb.path("stored").path("calls").asLong())
                .isEqualTo(5000);
        assertThat(clickHouseRevised.path("report_answers_sha256")).hasSize(ReportRequests.REPORTS.length)
                .isEqualTo(duckDbRevised.path("report_answers_sha256"));
        assertThat(SideBySide.render(duckDbRevised, clickHouseRevised))
                .contains("Stored totals equal (4354 events, 266 calls)", "byte-identical", "| member_usage | ");
    }

    @Test
    void aPreloadedRunStoresAndAnswersLikeOneSentWholeOverHttp() {
        assertThat(preloaded.path("preload").path("events").asLong()).isEqualTo(3000);
        assertThat(preloaded.path("http_ingest").path("acknowledged_events").asLong())
                .isEqualTo(preloaded.path("generated").path("ndjson_lines").asLong()).isPositive();
        assertThat(preloaded.path("stored")).isEqualTo(duckDb.path("stored"));
        assertThat(preloaded.path("report_answers_sha256")).isEqualTo(duckDb.path("report_answers_sha256"));
    }

    @Test
    void aRunWithRevisionsStoresEachEventOnceInItsLatestRevisionOnBothStores() {
        EventGenerator generator = new EventGenerator(1, 5000, 1000, java.time.Instant.parse(END).toEpochMilli(), 90,
                0.1);
        java.util.Map<String, Long> latest = new java.util.HashMap<>();
        long revisions = 0;
        for (int index = 0; index < generator.batches(); index++) {
            for (dev.tally.event.Event event : generator.batch(index)) {
                revisions += event.revision > 0 ? 1 : 0;
                latest.merge(event.tenantId + "/" + event.id, event.revision, Math::max);
            }
        }
        // about a tenth of the four batches after the first, chats and messages left alone
        assertThat(revisions).isBetween(250L, 450L);
        for (JsonNode revised : List.of(duckDbRevised, clickHouseRevised)) {
            assertIngestAndReports(revised, revised == duckDbRevised ? "plain_sql_duckdb" : "plain_sql_clickhouse");
            assertThat(revised.path("stored").path("events").asLong() + revised.path("stored").path("calls").asLong())
                    .isEqualTo(latest.size()).isEqualTo(5000 - revisions);
        }
        assertThat(clickHouseRevised.path("report_answers_sha256")).isEqualTo(duckDbRevised.path("report_answers_sha256"))
                .isNotEqualTo(duckDb.path("report_answers_sha256"));
    }

    @Test
    void aRunMeasuresTheReportsItIsAskedForAndRefusesOptionsThatDoNotGoTogether() throws Exception {
        JsonNode some = run("duckdb", "results-5000.json", "--reports", "spend,call_cost");
        assertThat(some.path("reports_http").fieldNames()).toIterable().containsExactly("spend", "call_cost");
        assertThat(some.path("plain_sql_duckdb").fieldNames()).toIterable().containsExactly("spend", "call_cost");
        assertThat(some.path("report_answers_sha256").path("spend")).isEqualTo(duckDb.path("report_answers_sha256")
                .path("spend"));
        assertThat(some.path("report_answers_sha256").path("call_cost")).isEqualTo(duckDb.path("report_answers_sha256")
                .path("call_cost"));

        for (String[] refused : List.of(new String[] {"--reports", "spend,nope"},
                new String[] {"--keep-preloaded", "--preload"},
                new String[] {"--revisions", "0.05", "--preload"},
                new String[] {"--revisions", "1"})) {
            java.io.StringWriter errors = new java.io.StringWriter();
            CommandLine command = new CommandLine(new BenchCommand());
            command.setErr(new java.io.PrintWriter(errors));
            List<String> arguments = new ArrayList<>(List.of("--events", "10", "--work-dir",
                    directory.resolve("refused").toString(), "--out", directory.resolve("refused").toString()));
            arguments.addAll(List.of(refused));
            assertThat(command.execute(arguments.toArray(String[]::new))).as(String.join(" ", refused)).isEqualTo(2);
            assertThat(errors.toString()).as(String.join(" ", refused)).contains(refused[0]);
        }
    }

    private static void assertIngestAndReports(JsonNode results, String plainSql) {
        JsonNode ingest = results.path("http_ingest");
        assertThat(ingest.path("failed_requests").asLong()).isZero();
        assertThat(ingest.path("acknowledged_events").asLong())
                .isEqualTo(results.path("generated").path("ndjson_lines").asLong());
        assertThat(ingest.path("events_per_second").asLong()).isPositive();
        assertThat(results.path("ingest_ratio").path("http_over_raw").asDouble()).isPositive();
        assertThat(results.path("server_memory").path("peak_rss_mib").asLong()).isPositive();
        for (String report : ReportRequests.REPORTS) {
            assertThat(results.path("reports_http").path(report).path("requests").asInt()).as(report).isEqualTo(5);
            assertThat(results.path("reports_http").path(report).path("p50_ms").asDouble()).as(report).isPositive();
            assertThat(results.path("reports_http").path(report).path("warm_p50_ms").asDouble()).as(report).isPositive();
            assertThat(results.path(plainSql).path(report).path("requests").asInt()).as(report).isEqualTo(3);
            assertThat(results.path(plainSql).path(report).path("p50_ms").asDouble()).as(report).isPositive();
        }
    }
}
