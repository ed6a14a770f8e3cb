package dev.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One table of a DuckDB run and a ClickHouse run of the same size: ingest against each store's own
 * raw limit, then every report's latency through Tally and in plain SQL on each store. Both runs
 * should use the same {@code --end} so they measure the same events and requests; the stored totals
 * line says whether they did.
 */
final class SideBySide {

    private SideBySide() {
    }

    static String render(JsonNode duckDb, JsonNode clickHouse) {
        StringBuilder out = new StringBuilder();
        JsonNode settings = duckDb.path("settings");
        out.append("Run: ").append(settings.path("events").asLong()).append(" events each; DuckDB ")
                .append(duckDb.path("versions").path("duckdb").asText()).append(" (embedded), ClickHouse ")
                .append(clickHouse.path("clickhouse").path("version").asText()).append(" (")
                .append(clickHouse.path("clickhouse").path("nodes").asInt()).append(" shards)  \n");
        boolean sameData = duckDb.path("stored").equals(clickHouse.path("stored"));
        boolean sameAnswers = duckDb.path("report_answers_sha256").equals(clickHouse.path("report_answers_sha256"));
        out.append("Stored totals ").append(sameData ? "equal" : "DIFFER").append(" (")
                .append(duckDb.path("stored").path("events").asLong()).append(" events, ")
                .append(duckDb.path("stored").path("calls").asLong()).append(" calls); first answer of every report ")
                .append(sameAnswers ? "byte-identical" : "DIFFERS").append(" between the stores\n\n");
        JsonNode clickHouseRaw = clickHouse.path("raw_clickhouse");
        out.append("| ingest, events/s | DuckDB | ClickHouse |\n|---|---:|---:|\n");
        out.append("| raw store limit, 1 client (Appender / JSONEachRow insert) | ")
                .append(duckDb.path("raw_appender").path("events_per_second").asLong()).append(" | ")
                .append(clickHouseRaw.path("one_client").path("events_per_second").asLong()).append(" |\n");
        out.append("| raw store limit, ").append(clickHouseRaw.path("concurrent").path("clients").asInt())
                .append(" clients | – | ").append(clickHouseRaw.path("concurrent").path("events_per_second").asLong())
                .append(" |\n");
        out.append("| Tally HTTP ingest (200-acknowledged) | ")
                .append(duckDb.path("http_ingest").path("events_per_second").asLong()).append(" | ")
                .append(clickHouse.path("http_ingest").path("events_per_second").asLong()).append(" |\n");
        out.append("| Tally server peak RSS, MiB | ").append(duckDb.path("server_memory").path("peak_rss_mib").asLong())
                .append(" | ").append(clickHouse.path("server_memory").path("peak_rss_mib").asLong()).append(" |\n");
        out.append("| ClickHouse servers peak RSS, MiB | – | ")
                .append(clickHouse.path("clickhouse").path("peak_rss_mib_total").asText("–")).append(" |\n\n");
        out.append("| report p50 / p99 ms | Tally on DuckDB | Tally on ClickHouse | plain SQL DuckDB"
                + " | plain SQL ClickHouse |\n|---|---:|---:|---:|---:|\n");
        for (String report : ReportRequests.REPORTS) {
            out.append("| ").append(report).append(" | ").append(pair(duckDb.path("reports_http").path(report)))
                    .append(" | ").append(pair(clickHouse.path("reports_http").path(report))).append(" | ")
                    .append(pair(duckDb.path("plain_sql_duckdb").path(report))).append(" | ")
                    .append(pair(clickHouse.path("plain_sql_clickhouse").path(report))).append(" |\n");
        }
        return out.toString();
    }

    private static String pair(JsonNode figures) {
        return figures.path("p50_ms").asText("–") + " / " + figures.path("p99_ms").asText("–");
    }
}
