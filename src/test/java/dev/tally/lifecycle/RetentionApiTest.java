package dev.tally.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.store.clickhouse.ClickHouseEventStore;
import dev.tally.store.clickhouse.ClickHouseRetentionStep;
import dev.tally.store.duckdb.DuckDbEventStore;
import dev.tally.store.duckdb.WriteFaults;
import dev.tally.store.duckdb.WriteStep;
import dev.tally.store.sql.Sql;
import dev.tally.testing.MutableClock;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention: a tenant's raw events older than its retention are deleted, every aggregate report
 * answers as before (rollups and the per-call cost rows keep every day, through folds and checks),
 * events older than the horizon are refused, and an answer read from raw rows names the part of
 * its range they no longer cover. On both stores, with and without reading rollups.
 */
class RetentionApiTest {
    /** Today 2026-03-31: with 10 days kept, the horizon is 2026-03-21T00:00:00Z. */
    private static final Instant NOW = Instant.parse("2026-03-31T12:00:00Z");
    private static final String HORIZON = "2026-03-21T00:00:00Z";
    private TestServer server;
    /** The last call statistics answer's {@code Tally-Missing-Raw-Range}. */
    private String statsNotice;
    /** The last call-costs answer's {@code Tally-Missing-Raw-Range}. */
    private String callCostsNotice;

    @BeforeEach
    void start() {
        server = TestServer.start(new MutableClock(NOW));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Every kind of event on each day of March, calls and their parts, SMS, chats and their messages. */
    private static String events() {
        StringBuilder events = new StringBuilder("[");
        for (int day = 1; day <= 30; day++) {
            String date = String.format("2026-03-%02d", day);
            String call = "call-" + day;
            if (day > 1) {
                events.append(',');
            }
            events.append("""
                    {"id": "%2$s", "type": "call", "time": "%1$sT09:00:00Z", "status": "completed",
                     "ended_at": "%1$sT09:0%3$d:00Z", "cost_usd": 0.0%3$d, "agent_id": "a%4$d", "direction": "inbound",
                     "phone_number": "+1415555010%4$d", "sentiment": "positive"},
                    {"id": "%2$s-llm", "type": "llm", "time": "%1$sT09:01:00Z", "provider": "openai", "model": "gpt-4o",
                     "input_tokens": %3$d00, "output_tokens": %3$d0, "agent_id": "a%4$d", "call_id": "%2$s",
                     "ended_at": "%1$sT09:01:01Z"},
                    {"id": "%2$s-tts", "type": "tts", "time": "%1$sT09:02:00Z", "provider": "elevenlabs",
                     "model": "eleven_turbo_v2", "characters": %3$d00, "call_id": "%2$s", "cost_usd": 0.01},
                    {"id": "%2$s-fee", "type": "fee", "time": "%1$sT09:09:00Z", "kind": "platform", "cost_usd": 0.05,
                     "call_id": "%2$s"},
                    {"id": "sms-%3$d-%5$d", "type": "sms", "time": "%1$sT10:00:00Z", "direction": "outbound",
                     "phone_number": "+14155550100", "body": "hello there", "cost_usd": 0.0079},
                    {"id": "chat-%5$d", "type": "chat", "time": "%1$sT11:00:00Z", "member_id": "m%4$d"},
                    {"id": "msg-%5$d", "type": "message", "time": "%1$sT11:00:01Z", "chat_id": "chat-%5$d", "role": "user"},
                    {"id": "chat-%5$d-llm", "type": "llm", "time": "%1$sT11:00:02Z", "provider": "openai",
                     "model": "gpt-4o-mini", "input_tokens": 900, "output_tokens": 90, "chat_id": "chat-%5$d",
                     "member_id": "m%4$d", "ended_at": "%1$sT11:00:03Z"}""".formatted(date, call, day % 9 + 1, day % 3, day));
        }
        return events.append(']').toString();
    }

    private static final String CALL_COSTS = "/v1/analytics/call-costs?from=2026-03-01&to=2026-03-31";
    private static final List<String> REPORTS = List.of(
            "/v1/analytics/spend?from=2026-03-01&to=2026-03-31",
            "/v1/analytics/spend?from=2026-03-05&to=2026-03-05",
            CALL_COSTS,
            "/v1/analytics/call-costs?from=2026-03-01&to=2026-03-20&order=started_desc",
            "/api/v2/w/acme/reports/ai-usage?start_date=2026-03-01&end_date=2026-03-31",
            "/api/v2/w/acme/reports/sms-usage?start_date=2026-03-01&end_date=2026-03-31",
            "/api/v2/w/acme/reports/phone-usage?start_date=2026-03-01&end_date=2026-03-31",
            "/api/v2/w/acme/reports/voice-usage?start_date=2026-03-01&end_date=2026-03-31",
            "/api/v2/w/acme/reports/member-usage/m1?start_date=2026-03-01&end_date=2026-03-31");

    private Map<String, String> answers(String key) {
        Map<String, String> answers = new LinkedHashMap<>();
        for (String report : REPORTS) {
            HttpResponse<String> response = server.getWithKey(report, key);
            assertThat(response.statusCode()).as(report + " " + response.body()).isEqualTo(200);
            answers.put(report, response.body());
            if (report.equals(CALL_COSTS)) {
                callCostsNotice = response.headers().firstValue("Tally-Missing-Raw-Range").orElse(null);
            }
        }
        HttpResponse<String> stats = server.post("/calls/stats", """
                {"project_id": "acme", "start": "2026-03-01T00:00:00Z", "end": "2026-03-31T00:00:00Z",
                 "usage_metrics": [{"metric": "input_tokens", "aggregations": ["sum"]}],
                 "call_metrics": [{"metric": "latency_ms", "percentiles": [50, 95]}]}""",
                "Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((":" + key).getBytes()),
                "Content-Type", "application/json");
        assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
        statsNotice = stats.headers().firstValue("Tally-Missing-Raw-Range").orElse(null);
        answers.put("/calls/stats", stats.body());
        return answers;
    }

    /** Report by report, so a difference names its report. */
    private void assertSame(Map<String, String> after, Map<String, String> before) {
        before.forEach((report, answer) -> {
            if (report.equals("/calls/stats")) {
                assertStats(after.get(report), answer);
            } else {
                assertThat(after.get(report)).as(report).isEqualTo(answer);
            }
        });
    }

    /**
     * Call statistics: sums and counts as before; the latency percentiles, read from raw rows, are
     * gone before the horizon only (the answer's header says so, {@link #statsNotice}).
     */
    private static void assertStats(String after, String before) {
        JsonNode now = parse(after);
        JsonNode then = parse(before);
        assertThat(now.path("usage_buckets")).isEqualTo(then.path("usage_buckets"));
        assertThat(now.path("call_buckets")).hasSameSizeAs(then.path("call_buckets"));
        for (int index = 0; index < then.path("call_buckets").size(); index++) {
            JsonNode bucket = now.path("call_buckets").get(index);
            JsonNode earlier = then.path("call_buckets").get(index);
            assertThat(bucket.path("count")).isEqualTo(earlier.path("count"));
            boolean expired = bucket.path("timestamp").asText().compareTo(HORIZON) < 0;
            assertThat(bucket.path("p50_latency_ms")).as(bucket.toString())
                    .isEqualTo(expired ? com.fasterxml.jackson.databind.node.NullNode.getInstance()
                            : earlier.path("p50_latency_ms"));
        }
    }

    private static JsonNode parse(String json) {
        try {
            return dev.tally.http.Json.MAPPER.readTree(json);
        } catch (java.io.IOException unreadable) {
            throw new AssertionError(json, unreadable);
        }
    }

    private HttpResponse<String> admin(String method, String path, String body) {
        return server.send(method, path, body, "X-Admin-Token", TestServer.ADMIN_TOKEN, "Content-Type", "application/json");
    }

    private long rawRowsBefore(String tenant, String table, String horizon) {
        return ((Number) server.tally().events().query(new Sql("SELECT count(*) AS n FROM " + table
                + " WHERE tenant_id = ? AND time_ms < ? AND type <> 'chat'",
                List.of(tenant, Instant.parse(horizon).toEpochMilli()))).get(0).get("n")).longValue();
    }

    /** acme and globex with the same events; a reader of acme's reports. */
    private String tenantsWithEvents() {
        for (String tenant : List.of("acme", "globex")) {
            server.createTenant(tenant, tenant);
            server.ingest(server.createKey(tenant, "events:write"), events());
        }
        return server.createMemberKey("acme", "m1", "analytics:read", "export:read", "members:read");
    }

    @Test
    void rawEventsPastTheRetentionGoAndEveryAggregateStays() throws InterruptedException {
        String key = tenantsWithEvents();
        Map<String, String> before = answers(key);
        assertThat(rawRowsBefore("acme", "events", HORIZON)).isPositive();

        HttpResponse<String> set = admin("PATCH", "/admin/tenants/acme", "{\"retention_days\": 10}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(TestServer.json(set).path("retention_days").asInt()).isEqualTo(10);
        HttpResponse<String> run = admin("POST", "/admin/retention/run", "{}");
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        JsonNode acme = TestServer.json(run).path("tenants").get(0);
        assertThat(acme.path("tenant_id").asText()).isEqualTo("acme");
        assertThat(acme.path("raw_data_from").asText()).isEqualTo(HORIZON);
        assertThat(acme.path("rows_deleted").path("events").asLong()).isEqualTo(20 * 6);
        assertThat(acme.path("rows_deleted").path("calls").asLong()).isEqualTo(20);
        assertThat(TestServer.json(run).path("tenants")).hasSize(1);

        assertThat(rawRowsBefore("acme", "events", HORIZON) + rawRowsBefore("acme", "calls", HORIZON)).isZero();
        assertThat(rawRowsBefore("globex", "events", HORIZON)).as("a tenant without retention").isPositive();
        boolean rollups = server.tally().reports() == server.tally().events();
        if (!rollups) {
            // reads without rollups add up raw rows: the days before the horizon are gone from them
            assertThat(answers(key).get(REPORTS.get(1))).isNotEqualTo(before.get(REPORTS.get(1)));
            assertThat(callCostsNotice).isEqualTo("2026-03-01T00:00:00Z/" + HORIZON);
            return;
        }
        assertSame(answers(key), before);
        assertThat(statsNotice).isEqualTo("2026-03-01T00:00:00Z/" + HORIZON);
        assertThat(callCostsNotice).as("the per-call rows keep every call").isNull();
        if (server.tally().events() instanceof DuckDbEventStore store) {
            // a fold rewrites every rollup and rebuilds the per-call rows; a check recomputes from raw rows
            server.tally().writer().exclusive(() -> {
                store.compactRollups();
                return null;
            });
            assertSame(answers(key), before);
            assertThat(server.tally().writer().exclusive(() -> store.checkRollups(true)).total()).isZero();
        } else {
            // a recomputation of every marked hour leaves the hours before the horizon as they were
            ((ClickHouseEventStore) server.tally().events()).recomputeRollups();
        }
        assertSame(answers(key), before);
        HttpResponse<String> again = admin("POST", "/admin/retention/run", "{}");
        assertThat(TestServer.json(again).path("tenants").get(0).path("rows_deleted").path("events").asLong())
                .as("a second run finds nothing left to delete").isZero();
        assertSame(answers(key), before);

        // older than the horizon: refused, field named; newer: stored and counted
        HttpResponse<String> old = server.send("POST", "/v1/events", """
                [{"id": "late-old", "type": "llm", "time": "2026-03-05T12:00:00Z", "provider": "openai",
                  "model": "gpt-4o", "input_tokens": 10, "output_tokens": 1},
                 {"id": "late-new", "type": "llm", "time": "2026-03-25T12:00:00Z", "provider": "openai",
                  "model": "gpt-4o", "input_tokens": 10, "output_tokens": 1}]""",
                "Authorization", "Bearer " + server.createKey("acme", "events:write"));
        JsonNode result = TestServer.json(old);
        assertThat(result.path("accepted").asInt()).as(old.body()).isEqualTo(1);
        assertThat(result.path("rejected").asInt()).isEqualTo(1);
        assertThat(old.body()).contains("\"time\"").contains("retention horizon " + HORIZON);

        HttpResponse<String> export = server.getWithKey("/v1/exports/events?from=2026-03-01&to=2026-03-31", key);
        assertThat(export.headers().firstValue("Tally-Raw-Data-From")).hasValue(HORIZON);
        assertThat(export.headers().firstValue("Tally-Missing-Raw-Range"))
                .hasValue("2026-03-01T00:00:00Z/" + HORIZON);
        List<String> lines = new ArrayList<>(export.body().lines().toList());
        assertThat(lines).allSatisfy(line -> assertThat(line.contains("\"type\":\"chat\"")
                || Long.parseLong(line.replaceAll(".*\"time_ms\":(\\d+).*", "$1")) >= Instant.parse(HORIZON).toEpochMilli())
                .as(line).isTrue());
        HttpResponse<String> recent = server.getWithKey("/v1/exports/events?from=2026-03-21&to=2026-03-31", key);
        assertThat(recent.headers().firstValue("Tally-Missing-Raw-Range")).isEmpty();

        // a message sent now in a chat created before the horizon is still credited to the chat's owner
        server.ingest(server.createKey("acme", "events:write"), """
                [{"id": "msg-late", "type": "message", "time": "2026-03-30T08:00:00Z", "chat_id": "chat-3", "role": "user"}]""");
        JsonNode member = TestServer.json(server.getWithKey(
                "/api/v2/w/acme/reports/member-usage/m0?start_date=2026-03-30&end_date=2026-03-30", key));
        assertThat(member.toString()).contains("\"totalMessages\":2");
    }

    /**
     * Once the retention is cleared, an event from before the horizon its run deleted at is counted
     * where the store can still count it (DuckDB adds it to its rollups) and refused, naming
     * {@code time}, where it cannot (ClickHouse's hours before that horizon are final): never
     * accepted and then left out.
     */
    @Test
    void anOldEventSentOnceTheRetentionIsClearedIsCountedOrRefusedNeverLost() {
        String key = tenantsWithEvents();
        admin("PATCH", "/admin/tenants/acme", "{\"retention_days\": 10}");
        assertThat(admin("POST", "/admin/retention/run", "{}").statusCode()).isEqualTo(200);
        assertThat(TestServer.json(admin("PATCH", "/admin/tenants/acme", "{\"retention_days\": null}"))
                .path("retention_days").isNull()).isTrue();
        String day = "/api/v2/w/acme/reports/ai-usage?start_date=2026-03-05&end_date=2026-03-05";
        long before = TestServer.json(server.getWithKey(day, key)).path("by_provider").path(0).path("requests").asLong();

        // in an hour that holds events, so that its rollups were recorded before the run
        HttpResponse<String> sent = server.send("POST", "/v1/events", """
                [{"id": "late-old", "type": "llm", "time": "2026-03-05T09:30:00Z", "provider": "openai",
                  "model": "gpt-4o", "input_tokens": 10, "output_tokens": 1}]""",
                "Authorization", "Bearer " + server.createKey("acme", "events:write"));
        server.settleWrites();
        JsonNode result = TestServer.json(sent);
        long after = TestServer.json(server.getWithKey(day, key)).path("by_provider").path(0).path("requests").asLong();
        if (result.path("rejected").asInt() > 0) {
            assertThat(result.path("rejected").asInt()).as(sent.body()).isEqualTo(1);
            assertThat(sent.body()).contains("\"time\"").contains("before " + HORIZON);
            assertThat(after).isEqualTo(before);
        } else {
            assertThat(result.path("accepted").asInt()).as(sent.body()).isEqualTo(1);
            assertThat(after).isEqualTo(before + 1);
        }
        assertThat(server.tally().events().writableFrom("acme").isPresent())
                .isEqualTo(server.tally().events() instanceof ClickHouseEventStore);
    }

    /**
     * A member erased after a retention run: the usage of the days before the horizon, kept only in
     * the rollups, goes under the pseudonym with the rest, every figure as it was.
     */
    @Test
    void aMemberErasedAfterARunKeepsTheUsageOfTheExpiredDaysUnderThePseudonym() throws InterruptedException {
        String key = tenantsWithEvents();
        String usage = "/api/v2/w/acme/reports/member-usage/%s?start_date=2026-03-01&end_date=2026-03-31";
        String expired = "/api/v2/w/acme/reports/member-usage/%s?start_date=2026-03-01&end_date=2026-03-20";
        admin("PATCH", "/admin/tenants/acme", "{\"retention_days\": 10}");
        assertThat(admin("POST", "/admin/retention/run", "{}").statusCode()).isEqualTo(200);
        String before = server.getWithKey(usage.formatted("m1"), key).body();
        String expiredBefore = server.getWithKey(expired.formatted("m1"), key).body();
        // read without rollups, the expired days are gone already
        if (server.tally().reports() == server.tally().events()) {
            assertThat(expiredBefore).doesNotContain("\"totalMessages\":0");
        }

        HttpResponse<String> started = admin("POST", "/admin/erasures", "{\"tenant_id\": \"acme\", \"member_id\": \"m1\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode job = TestServer.json(started);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (job.path("state").asText().equals("running") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            job = TestServer.json(admin("GET", "/admin/erasures/" + job.path("id").asText(), null));
        }
        assertThat(job.path("state").asText()).as(job.toString()).isEqualTo("done");
        String pseudonym = job.path("pseudonym").asText();
        server.settleWrites();
        assertThat(server.getWithKey(expired.formatted(pseudonym), key).body().replace(pseudonym, "m1"))
                .isEqualTo(expiredBefore);
        assertThat(server.getWithKey(usage.formatted(pseudonym), key).body().replace(pseudonym, "m1"))
                .isEqualTo(before);
    }

    @Test
    void retentionDaysAreValidatedAndCleared() {
        server.createTenant("acme", "acme");
        for (String bad : List.of("0", "-3", "36501", "\"30\"", "2.5")) {
            HttpResponse<String> refused = admin("PATCH", "/admin/tenants/acme", "{\"retention_days\": " + bad + "}");
            assertThat(refused.statusCode()).as(bad + " " + refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("\"retention_days\"");
        }
        assertThat(TestServer.json(admin("PATCH", "/admin/tenants/acme", "{\"retention_days\": 30}"))
                .path("retention_days").asInt()).isEqualTo(30);
        assertThat(TestServer.json(admin("PATCH", "/admin/tenants/acme", "{\"name\": \"Acme\"}"))
                .path("retention_days").asInt()).as("kept when not sent").isEqualTo(30);
        assertThat(TestServer.json(admin("PATCH", "/admin/tenants/acme", "{\"retention_days\": null}"))
                .path("retention_days").isNull()).isTrue();
        assertThat(server.send("POST", "/admin/retention/run", "{}").statusCode()).isEqualTo(401);
    }

    @Test
    void aFailureAtEitherTableDeletesNothing() {
        if (!(server.tally().events() instanceof DuckDbEventStore store)) {
            return;
        }
        String key = tenantsWithEvents();
        Map<String, String> before = answers(key);
        admin("PATCH", "/admin/tenants/acme", "{\"retention_days\": 10}");
        long events = rawRowsBefore("acme", "events", HORIZON);
        long calls = rawRowsBefore("acme", "calls", HORIZON);
        for (int failAt = 1; failAt <= 2; failAt++) {
            int failing = failAt;
            int[] reached = {0};
            store.injectFaults(new WriteFaults() {
                @Override
                public void reached(WriteStep step) throws SQLException {
                    if (step == WriteStep.RETENTION_TABLE_DELETED && ++reached[0] == failing) {
                        throw new SQLException("injected after table " + failing);
                    }
                }
            });
            assertThat(admin("POST", "/admin/retention/run", "{}").statusCode()).isEqualTo(503);
            assertThat(rawRowsBefore("acme", "events", HORIZON)).isEqualTo(events);
            assertThat(rawRowsBefore("acme", "calls", HORIZON)).isEqualTo(calls);
        }
        store.injectFaults(WriteFaults.NONE);
        assertThat(admin("POST", "/admin/retention/run", "{}").statusCode()).isEqualTo(200);
        assertThat(rawRowsBefore("acme", "events", HORIZON)).isZero();
        if (server.tally().reports() == server.tally().events()) {
            assertSame(answers(key), before);
        }
    }

    @Test
    void aClickHouseRunThatFailsAtAnyStepKeepsEveryTotalAndTheNextRunFinishesIt() {
        if (!(server.tally().events() instanceof ClickHouseEventStore store)) {
            return;
        }
        String key = tenantsWithEvents();
        Map<String, String> before = answers(key);
        admin("PATCH", "/admin/tenants/acme", "{\"retention_days\": 10}");
        for (ClickHouseRetentionStep failing : ClickHouseRetentionStep.values()) {
            store.injectRetentionFaults(step -> {
                if (step == failing) {
                    throw new dev.tally.store.clickhouse.ClickHouseException("injected failure at " + step, null);
                }
            });
            HttpResponse<String> failed = admin("POST", "/admin/retention/run", "{}");
            assertThat(failed.statusCode()).as(failing + " " + failed.body()).isEqualTo(503);
            store.injectRetentionFaults(null);
            store.recomputeRollups();
            // what adds up raw rows here (call costs, latency percentiles) may have lost some, not all, of the
            // rows before the horizon in a run failing half-way; every total read from rollups is as before
            Map<String, String> after = answers(key);
            before.forEach((report, answer) -> {
                if (report.equals("/calls/stats")) {
                    JsonNode now = parse(after.get(report));
                    JsonNode then = parse(answer);
                    assertThat(now.path("usage_buckets")).as(failing + " " + report).isEqualTo(then.path("usage_buckets"));
                    assertThat(now.path("call_buckets").findValues("count")).as(failing + " " + report)
                            .isEqualTo(then.path("call_buckets").findValues("count"));
                } else if (!report.startsWith("/v1/analytics/call-costs")) {
                    assertThat(after.get(report)).as(failing + " " + report).isEqualTo(answer);
                }
            });
        }
        assertThat(admin("POST", "/admin/retention/run", "{}").statusCode()).isEqualTo(200);
        assertThat(rawRowsBefore("acme", "events", HORIZON) + rawRowsBefore("acme", "calls", HORIZON)).isZero();
        store.recomputeRollups();
        assertSame(answers(key), before);
    }
}
