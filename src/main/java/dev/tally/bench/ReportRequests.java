package dev.tally.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Varied report requests: a random tenant, agent and date range (up to 90 days; 31 for call
 * statistics, and exactly 31 for {@code call_stats_31_days}) within the generated data, the same sequence on every run. Each request comes with
 * the plain SQL that answers the same question over raw tables, for DuckDB, PostgreSQL and
 * ClickHouse. On ClickHouse the {@code calls} table is read {@code FINAL} without tombstones: it
 * holds each call's states until a merge keeps the latest, and a tombstone where a state moved
 * away, so a hand-written query must collapse them too; the append-only {@code events} are read
 * as they are.
 */
public final class ReportRequests {
    public static final String[] REPORTS = {"spend", "tokens_by_assistant", "call_stats", "call_stats_31_days", "ai_usage",
            "sms_usage", "phone_usage", "voice_usage", "member_usage", "call_costs", "call_cost"};

    public record Request(String method, String path, String body, String tenant, String duckDbSql,
                          String postgresSql, String clickHouseSql) {

        /**
         * The request as a client sends it: platform-wide reports with the platform key, call
         * statistics with the tenant's key as Basic password (as the product it mirrors), the rest
         * with the tenant's key.
         */
        public HttpRequest toHttp(String base, String platformKey, Map<String, String> analyticsKeys) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
            if (tenant == null) {
                builder.header("Authorization", "Bearer " + platformKey);
            } else if (method.equals("POST")) {
                builder.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("api:" + analyticsKeys.get(tenant)).getBytes(StandardCharsets.UTF_8)));
            } else {
                builder.header("Authorization", "Bearer " + analyticsKeys.get(tenant));
            }
            if (body != null) {
                builder.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            }
            return builder.build();
        }
    }

    private final SplittableRandom random = new SplittableRandom(42);
    private final EventGenerator generator;
    private final LocalDate firstDay;
    private final LocalDate lastDay;

    /** Requests over the generator's events; the cost of a call asks for calls it generated. */
    public ReportRequests(EventGenerator generator, long endMs) {
        this.generator = generator;
        this.firstDay = LocalDate.ofInstant(Instant.ofEpochMilli(generator.startMs()), ZoneOffset.UTC).plusDays(1);
        this.lastDay = LocalDate.ofInstant(Instant.ofEpochMilli(endMs), ZoneOffset.UTC);
    }

    public Request next(String report) {
        String tenant = EventGenerator.TENANTS[random.nextInt(EventGenerator.TENANTS.length)];
        // call statistics: any range its API takes (up to 31 days), and always the longest, for the 31-day target
        int maxDays = report.startsWith("call_stats") ? 31 : 90;
        int days = report.equals("call_stats_31_days") ? 31 : 1 + random.nextInt(maxDays);
        long span = lastDay.toEpochDay() - firstDay.toEpochDay();
        LocalDate from = firstDay.plusDays(random.nextLong(Math.max(1, span - days + 2)));
        LocalDate to = from.plusDays(days - 1);
        long startMs = from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long endMs = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        String agent = "agent-" + random.nextInt(EventGenerator.AGENTS);
        String member = "m" + random.nextInt(EventGenerator.MEMBERS);
        String range = " time_ms >= " + startMs + " AND time_ms < " + endMs;
        String scope = " WHERE tenant_id = '" + tenant + "' AND" + range;
        String day = "(time_ms - " + startMs + ")";
        return switch (report) {
            case "spend" -> {
                boolean byAgent = random.nextBoolean();
                String filter = scope + (byAgent ? " AND agent_id = '" + agent + "'" : "");
                String sql = "SELECT count(*), sum(CASE WHEN status = 'completed' THEN 1 ELSE 0 END),"
                        + " sum(duration_ms), sum(cost_nanos) FROM calls" + filter
                        + "; SELECT agent_id, count(*), sum(duration_ms), sum(cost_nanos) FROM calls" + filter
                        + " GROUP BY agent_id";
                yield new Request("GET", "/v1/analytics/spend?from=" + from + "&to=" + to
                        + (byAgent ? "&agent_id=" + agent : ""), null, tenant, sql, sql, finalCalls(sql));
            }
            case "tokens_by_assistant" -> {
                String sql = "SELECT agent_id, sum(CASE WHEN type = 'llm' THEN input_tokens + output_tokens ELSE 0 END),"
                        + " sum(CASE WHEN type = 'tts' THEN characters ELSE 0 END) FROM events WHERE agent_id IS NOT NULL"
                        + " AND type IN ('llm', 'tts') AND" + range + " GROUP BY agent_id";
                yield new Request("GET", "/admin/analytics/tokens/by-assistant?start_date=" + from + "&end_date="
                        + to.plusDays(1), null, null, sql, sql, sql);
            }
            case "call_stats", "call_stats_31_days" -> {
                String body = "{\"project_id\":\"" + tenant + "\",\"start\":\"" + from + "T00:00:00Z\",\"end\":\""
                        + to.plusDays(1) + "T00:00:00Z\",\"granularity\":86400,"
                        + "\"usage_metrics\":[{\"metric\":\"total_tokens\",\"aggregations\":[\"sum\"]},"
                        + "{\"metric\":\"total_cost\",\"aggregations\":[\"sum\"]}],"
                        + "\"call_metrics\":[{\"metric\":\"latency_ms\",\"aggregations\":[\"avg\"],"
                        + "\"percentiles\":[50,95,99]},{\"metric\":\"error_count\",\"aggregations\":[\"sum\"]}]}";
                String where = scope + " AND type = 'llm'";
                String duck = "SELECT " + day + " // 86400000 AS b, count(*), quantile_cont(ended_ms - time_ms, 0.5),"
                        + " quantile_cont(ended_ms - time_ms, 0.95), quantile_cont(ended_ms - time_ms, 0.99)"
                        + " FROM events" + where + " GROUP BY b";
                String postgres = "SELECT " + day + " / 86400000 AS b, count(*),"
                        + " percentile_cont(0.5) WITHIN GROUP (ORDER BY ended_ms - time_ms),"
                        + " percentile_cont(0.95) WITHIN GROUP (ORDER BY ended_ms - time_ms),"
                        + " percentile_cont(0.99) WITHIN GROUP (ORDER BY ended_ms - time_ms)"
                        + " FROM events" + where + " GROUP BY b";
                String clickHouse = "SELECT intDiv(" + day + ", 86400000) AS b, count(*),"
                        + " quantilesExact(0.5, 0.95, 0.99)(ended_ms - time_ms) FROM events" + where + " GROUP BY b";
                yield new Request("POST", "/calls/stats", body, tenant, duck, postgres, clickHouse);
            }
            case "ai_usage" -> {
                String sql = "SELECT provider, count(*), sum(input_tokens + output_tokens), sum(credits_micros),"
                        + " sum(cost_nanos) FROM events" + scope + " AND type = 'llm' GROUP BY provider";
                yield new Request("GET", usage(tenant, "ai-usage", from, to), null, tenant, sql, sql, sql);
            }
            case "sms_usage" -> {
                String sql = "SELECT %s AS d, phone_number, count(*), sum(segments), sum(characters) FROM events"
                        + scope + " AND type = 'sms' GROUP BY d, phone_number";
                yield new Request("GET", usage(tenant, "sms-usage", from, to), null, tenant,
                        sql.formatted(day + " // 86400000"), sql.formatted(day + " / 86400000"),
                        sql.formatted("intDiv(" + day + ", 86400000)"));
            }
            case "phone_usage" -> {
                String sql = "SELECT %s AS d, phone_number, count(*), sum(duration_ms) FROM calls" + scope
                        + " AND status <> 'in_progress' GROUP BY d, phone_number";
                yield new Request("GET", usage(tenant, "phone-usage", from, to), null, tenant,
                        sql.formatted(day + " // 86400000"), sql.formatted(day + " / 86400000"),
                        finalCalls(sql.formatted("intDiv(" + day + ", 86400000)")));
            }
            case "voice_usage" -> {
                String sql = "SELECT %s AS d, type, provider, model, count(*), sum(duration_ms), sum(characters)"
                        + " FROM events" + scope + " AND type IN ('stt', 'tts') GROUP BY d, type, provider, model";
                yield new Request("GET", usage(tenant, "voice-usage", from, to), null, tenant,
                        sql.formatted(day + " // 86400000"), sql.formatted(day + " / 86400000"),
                        sql.formatted("intDiv(" + day + ", 86400000)"));
            }
            case "member_usage" -> {
                String sql = "SELECT count(*), sum(credits_micros) FROM events" + scope
                        + " AND type IN ('llm', 'message') AND (member_id = '" + member + "' OR chat_id IN"
                        + " (SELECT id FROM events WHERE tenant_id = '" + tenant + "' AND type = 'chat'"
                        + " AND member_id = '" + member + "'))";
                yield new Request("GET", usage(tenant, "member-usage/" + member, from, to), null, tenant, sql, sql,
                        sql);
            }
            case "call_costs" -> {
                boolean byAgent = random.nextBoolean();
                String filter = scope + (byAgent ? " AND agent_id = '" + agent + "'" : "");
                String parts = "(SELECT call_id AS call_key, sum(cost_nanos) AS parts_nanos FROM events WHERE tenant_id = '"
                        + tenant + "' AND call_id IS NOT NULL AND type IN ('llm', 'stt', 'tts', 'sms', 'fee')"
                        + " GROUP BY call_id)";
                String sql = "SELECT id, cost_nanos + coalesce(parts_nanos, 0) AS total FROM (SELECT id AS call_key, id,"
                        + " cost_nanos FROM calls" + filter + ") AS c LEFT JOIN " + parts + " AS p USING (call_key)"
                        + " ORDER BY total DESC, id LIMIT 100";
                yield new Request("GET", "/v1/analytics/call-costs?from=" + from + "&to=" + to
                        + (byAgent ? "&agent_id=" + agent : ""), null, tenant, sql, sql,
                        finalCalls(sql).replace("SELECT call_id AS call_key", "SELECT assumeNotNull(call_id) AS call_key"));
            }
            case "call_cost" -> {
                String callId = generatedCall(tenant);
                String sql = "SELECT id, type, time_ms, cost_nanos FROM events WHERE tenant_id = '" + tenant
                        + "' AND call_id = '" + callId + "' ORDER BY time_ms, id";
                yield new Request("GET", "/v1/analytics/calls/" + callId + "/cost", null, tenant, sql, sql, sql);
            }
            default -> throw new IllegalArgumentException(report);
        };
    }

    /** The id of a call the generator made for the tenant, from a random batch (the next ones when it has none). */
    private String generatedCall(String tenant) {
        int batches = generator.batches();
        int first = random.nextInt(batches);
        for (int offset = 0; offset < batches; offset++) {
            for (dev.tally.event.Event event : generator.batch((first + offset) % batches)) {
                if (event.type == dev.tally.event.EventType.CALL && event.tenantId.equals(tenant)) {
                    return event.id;
                }
            }
        }
        throw new IllegalStateException("the generator made no call for " + tenant);
    }

    private static String finalCalls(String sql) {
        return sql.replace("FROM calls WHERE", "FROM calls FINAL WHERE deleted = 0 AND");
    }

    private static String usage(String tenant, String report, LocalDate from, LocalDate to) {
        return "/api/v2/w/" + tenant + "/reports/" + report + "?start_date=" + from + "&end_date=" + to;
    }
}
