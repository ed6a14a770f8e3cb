package dev.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;

/** The results as the Markdown tables BENCHMARKS.md shows. */
final class MarkdownReport {

    private MarkdownReport() {
    }

    static String render(JsonNode results) {
        if (results.path("store").asText("duckdb").equals("clickhouse")) {
            return renderClickHouse(results);
        }
        StringBuilder out = new StringBuilder();
        JsonNode machine = results.path("machine");
        JsonNode versions = results.path("versions");
        JsonNode settings = results.path("settings");
        out.append("Machine: ").append(machine.path("cores").asInt()).append(" cores, ")
                .append(machine.path("memory_gib").asDouble()).append(" GiB RAM, ").append(machine.path("cpu").asText())
                .append(", ").append(machine.path("os").asText()).append("  \n");
        out.append("Versions: Tally ").append(versions.path("tally").asText()).append(", Java ")
                .append(versions.path("java").asText()).append(", DuckDB ").append(versions.path("duckdb").asText())
                .append("  \n");
        out.append("Run: ").append(settings.path("events").asLong()).append(" events, batches of ")
                .append(settings.path("batch").asInt()).append(", ").append(settings.path("clients").asInt())
                .append(" ingest clients, ").append(settings.path("requests").asInt()).append(" requests per report")
                .append(", server -Xmx").append(settings.path("server_heap").asText());
        if (settings.path("revision_share").asDouble() > 0) {
            out.append(", ").append(settings.path("revision_share").asDouble() * 100)
                    .append(" % of events after the first batch sent as revisions of earlier ones");
        }
        out.append("\n\n");
        JsonNode preload = results.path("preload");
        if (!preload.isMissingNode()) {
            out.append("Preloaded (CSV reader, not timed as ingest): ").append(preload.path("events").asLong())
                    .append(" events in ").append(preload.path("load_seconds").asDouble())
                    .append(" s, rollups compacted in ").append(preload.path("rollup_compact_seconds").asDouble())
                    .append(" s; the rows below are the last ").append(results.path("raw_appender").path("rows").asLong())
                    .append(" events, appended raw and sent over HTTP on top of them.\n\n");
        }
        out.append("| ingest | events/s | seconds |\n|---|---:|---:|\n");
        JsonNode raw = results.path("raw_appender");
        JsonNode http = results.path("http_ingest");
        out.append("| raw DuckDB Appender (same rows, scratch file) | ").append(raw.path("events_per_second").asLong())
                .append(" | ").append(raw.path("seconds").asDouble()).append(" |\n");
        out.append("| Tally HTTP ingest (200-acknowledged) | ").append(http.path("events_per_second").asLong())
                .append(" | ").append(http.path("seconds").asDouble()).append(" |\n\n");
        out.append("HTTP / raw: ").append(results.path("ingest_ratio").path("http_over_raw").asDouble())
                .append("; failed requests: ").append(http.path("failed_requests").asLong())
                .append("; server peak RSS ").append(results.path("server_memory").path("peak_rss_mib").asLong())
                .append(" MiB (heap limit ").append(results.path("server_memory").path("max_heap").asText())
                .append(").\n\n");
        appendThreadTimes(out, http.path("cpu_seconds_by_thread"), http.path("seconds").asDouble());
        JsonNode check = results.path("rollup_check");
        if (!check.isMissingNode()) {
            out.append("`tally check` on the server's file (every rollup recomputed from the raw tables and compared,")
                    .append(" a process of its own, start to exit): ").append(check.path("seconds").asDouble())
                    .append(" s, exit code ").append(check.path("exit_code").asInt()).append(": ")
                    .append(check.path("result").asText()).append(".\n\n");
        }
        JsonNode postgres = results.path("plain_sql_postgres");
        out.append("| report | Tally HTTP p50 ms | p99 ms | again, warm: p50 | p99 | plain SQL DuckDB p50 | p99"
                + " | plain SQL PostgreSQL p50 | p99 |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String report : ReportRequests.REPORTS) {
            JsonNode tally = results.path("reports_http").path(report);
            JsonNode duck = results.path("plain_sql_duckdb").path(report);
            JsonNode pg = postgres.path(report);
            out.append("| ").append(report).append(" | ").append(tally.path("p50_ms").asText("–")).append(" | ")
                    .append(tally.path("p99_ms").asText("–")).append(" | ").append(tally.path("warm_p50_ms").asText("–"))
                    .append(" | ").append(tally.path("warm_p99_ms").asText("–")).append(" | ")
                    .append(duck.path("p50_ms").asText("–"))
                    .append(" | ").append(duck.path("p99_ms").asText("–")).append(" | ")
                    .append(pg.path("p50_ms").asText("–")).append(" | ").append(pg.path("p99_ms").asText("–"))
                    .append(" |\n");
        }
        if (!postgres.isMissingNode()) {
            out.append("\nPostgreSQL load (COPY + indexes): ").append(postgres.path("load_seconds_copy_and_index").asDouble())
                    .append(" s.\n");
        }
        return out.toString();
    }

    /** The ClickHouse run: the raw insert rates stand where the Appender stands, plain SQL on ClickHouse. */
    private static String renderClickHouse(JsonNode results) {
        StringBuilder out = new StringBuilder();
        JsonNode machine = results.path("machine");
        JsonNode versions = results.path("versions");
        JsonNode settings = results.path("settings");
        JsonNode clickHouse = results.path("clickhouse");
        out.append("Store: ClickHouse ").append(clickHouse.path("version").asText()).append(", ")
                .append(clickHouse.path("nodes").asInt()).append(" nodes of cluster ")
                .append(clickHouse.path("cluster").asText())
                .append(clickHouse.path("started_by_bench").asBoolean() ? " (one shard each, started by the bench on"
                        + " this machine)" : " (an existing cluster)").append("  \n");
        out.append("Machine: ").append(machine.path("cores").asInt()).append(" cores, ")
                .append(machine.path("memory_gib").asDouble()).append(" GiB RAM, ").append(machine.path("cpu").asText())
                .append(", ").append(machine.path("os").asText()).append("  \n");
        out.append("Versions: Tally ").append(versions.path("tally").asText()).append(", Java ")
                .append(versions.path("java").asText()).append("  \n");
        out.append("Run: ").append(settings.path("events").asLong()).append(" events, batches of ")
                .append(settings.path("batch").asInt()).append(", ").append(settings.path("clients").asInt())
                .append(" ingest clients, ").append(settings.path("requests").asInt()).append(" requests per report")
                .append(", server -Xmx").append(settings.path("server_heap").asText()).append("\n\n");
        JsonNode preload = results.path("preload");
        if (preload.path("kept_from_an_earlier_run").asBoolean()) {
            out.append("Preloaded by an earlier run and kept (`--keep-preloaded`): ").append(preload.path("events").asLong())
                    .append(" events; the rows below are the last events, sent over HTTP on top of them.\n\n");
        } else if (!preload.isMissingNode()) {
            out.append("Preloaded (direct inserts, not timed as ingest): ").append(preload.path("events").asLong())
                    .append(" events in ").append(preload.path("load_seconds").asDouble())
                    .append(" s; ids recorded, hours marked and rollups recomputed in ")
                    .append(preload.path("ids_marks_and_rollups_seconds").asDouble())
                    .append(" s; the rows below are the last events, sent over HTTP on top of them.\n\n");
        }
        JsonNode ready = results.path("server_memory").path("ready_seconds");
        if (!ready.isMissingNode()) {
            out.append("The server was ready for writes ").append(Math.round(ready.asDouble() * 10) / 10.0)
                    .append(" s after it first answered (a ClickHouse server loads its known ids then), not timed as ingest.\n\n");
        }
        JsonNode one = results.path("raw_clickhouse").path("one_client");
        JsonNode concurrent = results.path("raw_clickhouse").path("concurrent");
        JsonNode http = results.path("http_ingest");
        out.append("| ingest | events/s | seconds |\n|---|---:|---:|\n");
        out.append("| raw ClickHouse insert (same rows, JSONEachRow into the Distributed table, 1 client) | ")
                .append(one.path("events_per_second").asLong()).append(" | ").append(one.path("seconds").asDouble())
                .append(" |\n");
        out.append("| raw ClickHouse insert (same, ").append(concurrent.path("clients").asInt())
                .append(" concurrent clients) | ").append(concurrent.path("events_per_second").asLong()).append(" | ")
                .append(concurrent.path("seconds").asDouble()).append(" |\n");
        out.append("| Tally HTTP ingest (200-acknowledged) | ").append(http.path("events_per_second").asLong())
                .append(" | ").append(http.path("seconds").asDouble()).append(" |\n\n");
        out.append("HTTP / raw (").append(concurrent.path("clients").asInt()).append(" clients): ")
                .append(results.path("ingest_ratio").path("http_over_raw").asDouble())
                .append("; failed requests: ").append(http.path("failed_requests").asLong())
                .append("; Tally server peak RSS ").append(results.path("server_memory").path("peak_rss_mib").asLong())
                .append(" MiB (heap limit ").append(results.path("server_memory").path("max_heap").asText()).append(")");
        if (clickHouse.has("peak_rss_mib_per_server")) {
            out.append("; ClickHouse servers peak RSS ").append(clickHouse.path("peak_rss_mib_total").asLong())
                    .append(" MiB (").append(clickHouse.path("peak_rss_mib_per_server").toString()).append(")");
        }
        out.append(".\n\n");
        out.append("| report | Tally HTTP p50 ms | p99 ms | plain SQL ClickHouse p50 | p99 |\n");
        out.append("|---|---:|---:|---:|---:|\n");
        for (String report : ReportRequests.REPORTS) {
            JsonNode tally = results.path("reports_http").path(report);
            JsonNode plain = results.path("plain_sql_clickhouse").path(report);
            out.append("| ").append(report).append(" | ").append(tally.path("p50_ms").asText("–")).append(" | ")
                    .append(tally.path("p99_ms").asText("–")).append(" | ").append(plain.path("p50_ms").asText("–"))
                    .append(" | ").append(plain.path("p99_ms").asText("–")).append(" |\n");
        }
        return out.toString();
    }

    /** CPU seconds by thread during the HTTP ingest, server and bench client, with each one's share of two cores. */
    private static void appendThreadTimes(StringBuilder out, JsonNode cpu, double wallSeconds) {
        if (cpu.isMissingNode()) {
            return;
        }
        out.append("CPU during the HTTP ingest (").append(wallSeconds).append(" s wall, ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores), seconds by thread:\n\n")
                .append("| process | thread | CPU s |\n|---|---|---:|\n");
        // threads under 1 % of the wall time are left out of the table, not of the total
        cpu.fields().forEachRemaining(process -> process.getValue().fields().forEachRemaining(thread -> {
            if (thread.getKey().equals("total") || thread.getValue().asDouble() >= wallSeconds / 100) {
                out.append("| ").append(process.getKey()).append(" | ").append(thread.getKey()).append(" | ")
                        .append(thread.getValue().asDouble()).append(" |\n");
            }
        }));
        out.append("\n");
    }
}
