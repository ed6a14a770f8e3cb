package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.app.ServerConfig;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.testing.ClickHouseCluster;
import dev.tally.testing.MutableClock;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An erasure on ClickHouse that fails at any step of its pass (no transaction spans the tables
 * there): no report counts the subject twice meanwhile, the subject is not recorded as erased,
 * and submitting the erasure again finishes it, the same pseudonym in every table and every total
 * unchanged. Calls and members are the subjects whose rows are keyed by the identifier. A server
 * started later on the same database learns the erased subjects from it.
 */
class ClickHouseErasureFaultsTest {
    private static final String EVENTS = """
            [{"id": "call-7001", "type": "call", "time": "2026-03-10T09:59:00Z", "status": "completed",
              "ended_at": "2026-03-10T10:03:00Z", "cost_usd": 0.03, "agent_id": "a1", "phone_number": "+14155550100",
              "member_id": "member-41", "attributes": {"campaign": "spring"}},
             {"id": "call-7002", "type": "call", "time": "2026-03-11T09:00:00Z", "status": "completed",
              "ended_at": "2026-03-11T09:02:00Z", "cost_usd": 0.02, "agent_id": "a2", "member_id": "member-42"},
             {"id": "l1", "type": "llm", "time": "2026-03-10T10:00:00Z", "provider": "openai", "model": "gpt-4o",
              "input_tokens": 1200, "output_tokens": 300, "call_id": "call-7001", "member_id": "member-41"},
             {"id": "f1", "type": "fee", "time": "2026-03-10T10:04:00Z", "kind": "platform", "cost_usd": 0.2,
              "call_id": "call-7001"},
             {"id": "ch1", "type": "chat", "time": "2026-03-12T08:00:00Z", "member_id": "member-41"},
             {"id": "g1", "type": "message", "time": "2026-03-12T08:00:01Z", "chat_id": "ch1", "role": "user"},
             {"id": "l3", "type": "llm", "time": "2026-03-12T08:00:02Z", "provider": "openai", "model": "gpt-4o",
              "input_tokens": 5000, "output_tokens": 900, "chat_id": "ch1"}]""";
    private static final String SPEND = "/v1/analytics/spend?from=2026-03-01&to=2026-03-31";
    private static final String CALLS = "/v1/analytics/call-costs?from=2026-03-01&to=2026-03-31";

    static Stream<Arguments> failures() {
        List<Arguments> cases = new ArrayList<>();
        for (ClickHouseErasureStep step : ClickHouseErasureStep.values()) {
            cases.add(Arguments.of(step, "call_id", "call-7001"));
            cases.add(Arguments.of(step, "member_id", "member-41"));
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("failures")
    void anErasureThatFailsAtAnyStepCountsOnceAndIsFinishedBySubmittingItAgain(ClickHouseErasureStep failing,
            String subject, String identifier) throws InterruptedException {
        ServerConfig config = ServerConfig.forTests(TestServer.ADMIN_TOKEN)
                .withClickHouse(ClickHouseCluster.shared().newDatabase());
        try (TestServer server = TestServer.start(config, new MutableClock(Instant.parse("2026-03-31T12:00:00Z")))) {
            ClickHouseEventStore store = (ClickHouseEventStore) server.tally().events();
            server.createTenant("acme", "acme");
            server.ingest(server.createKey("acme", "events:write"), EVENTS);
            store.recomputeRollups();
            String reader = server.createKey("acme", "analytics:read", "members:read");
            String spend = server.getWithKey(SPEND, reader).body();
            String calls = server.getWithKey(CALLS, reader).body();
            String memberUsage = memberUsage(server, reader, "member-41");
            assertThat(sum(memberUsage, null)).contains("totalChats=1 ").contains("totalMessages=");
            String body = "{\"tenant_id\": \"acme\", \"" + subject + "\": \"" + identifier + "\"}";

            store.injectErasureFaults(step -> {
                if (step == failing) {
                    throw new ClickHouseException("injected failure at " + step);
                }
            });
            JsonNode failed = erase(server, body);
            assertThat(failed.path("state").asText()).as(failed.toString()).isEqualTo("failed");
            assertThat(failed.path("failure").asText()).contains("injected failure at " + failing);
            String pseudonym = failed.path("pseudonym").asText();
            assertThat(store.erasedSubjects()).as("a subject half erased is not listed").isEmpty();
            // half-way, every total stands: the subject is counted under one name or the other, never both
            assertThat(server.getWithKey(SPEND, reader).body()).isEqualTo(spend);
            assertThat(TestServer.json(server.getWithKey(CALLS, reader)).path("summary"))
                    .isEqualTo(json(calls).path("summary"));
            if (subject.equals("member_id")) {
                assertThat(sum(memberUsage(server, reader, "member-41"), memberUsage(server, reader, pseudonym)))
                        .isEqualTo(sum(memberUsage, null));
            }

            store.injectErasureFaults(null);
            JsonNode done = erase(server, body);
            assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("done");
            assertThat(done.path("pseudonym").asText()).isEqualTo(pseudonym);
            assertThat(store.erasedSubjects()).hasSize(1);
            assertThat(server.getWithKey(SPEND, reader).body()).isEqualTo(spend);
            assertThat(server.getWithKey(CALLS, reader).body()).isEqualTo(calls.replace(identifier, pseudonym));
            String memberNow = subject.equals("member_id") ? pseudonym : "member-41";
            assertThat(memberUsage(server, reader, memberNow)).isEqualTo(memberUsage);
            assertThat(cellsHolding(store, identifier)).isEmpty();
            // sent again: the erased call is looked up under its pseudonym on this instance too, and found
            JsonNode again = server.ingest(server.createKey("acme", "events:write"), EVENTS);
            assertThat(again.path("results").get(0).path("id").asText())
                    .isEqualTo(subject.equals("call_id") ? pseudonym : "call-7001");
            assertThat(again.path("results").get(0).path("status").asText()).isEqualTo("updated");
            assertThat(again.path("duplicates").asInt()).isEqualTo(5);
            assertThat(server.getWithKey(SPEND, reader).body()).isEqualTo(spend);
            store.recomputeRollups();
            assertThat(memberUsage(server, reader, memberNow)).as("recomputed").isEqualTo(memberUsage);
            assertThat(cellsHolding(store, identifier)).as("recomputed").isEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void aServerStartedLaterKeepsTheSubjectErased() throws InterruptedException {
        ServerConfig config = ServerConfig.forTests(TestServer.ADMIN_TOKEN)
                .withClickHouse(ClickHouseCluster.shared().newDatabase());
        MutableClock clock = new MutableClock(Instant.parse("2026-03-31T12:00:00Z"));
        String pseudonym;
        String spend;
        try (TestServer first = TestServer.start(config, clock)) {
            first.createTenant("acme", "acme");
            first.ingest(first.createKey("acme", "events:write"), EVENTS);
            JsonNode done = erase(first, "{\"tenant_id\": \"acme\", \"call_id\": \"call-7001\"}");
            assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("done");
            pseudonym = done.path("pseudonym").asText();
            spend = first.getWithKey(SPEND, first.createKey("acme", "analytics:read")).body();
        }
        try (TestServer second = TestServer.start(config, clock)) {
            ClickHouseEventStore store = (ClickHouseEventStore) second.tally().events();
            assertThat(store.erasedSubjects()).extracting(dev.tally.store.ErasedSubject::pseudonym)
                    .containsExactly(pseudonym);
            JsonNode again = second.ingest(second.createKey("acme", "events:write"), EVENTS);
            // every event a duplicate; the erased call found under its pseudonym (a call seen again is updated)
            assertThat(again.path("duplicates").asInt()).as(again.toString()).isEqualTo(5);
            assertThat(again.path("results").get(0).path("id").asText()).isEqualTo(pseudonym);
            assertThat(again.path("results").get(0).path("status").asText()).isEqualTo("updated");
            assertThat(second.getWithKey(SPEND, second.createKey("acme", "analytics:read")).body()).isEqualTo(spend);
            assertThat(cellsHolding(store, "call-7001")).isEmpty();
        }
    }

    private static String memberUsage(TestServer server, String key, String member) {
        HttpResponse<String> response = server.getWithKey("/api/v2/w/acme/reports/member-usage/" + member
                + "?start_date=2026-03-01&end_date=2026-03-31", key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body().replace(member, "{member}");
    }

    /** The numbers of one or two member usage answers, added field by field. */
    private static String sum(String first, String second) {
        JsonNode left = json(first);
        JsonNode right = second == null ? null : json(second);
        StringBuilder sums = new StringBuilder();
        left.fields().forEachRemaining(field -> {
            if (field.getValue().isNumber()) {
                sums.append(field.getKey()).append('=').append(field.getValue().decimalValue()
                        .add(right == null ? java.math.BigDecimal.ZERO : right.path(field.getKey()).decimalValue())
                        .stripTrailingZeros().toPlainString()).append(' ');
            }
        });
        return sums.toString();
    }

    private static JsonNode json(String body) {
        try {
            return dev.tally.http.Json.MAPPER.readTree(body);
        } catch (java.io.IOException unreadable) {
            throw new AssertionError("no JSON: " + body, unreadable);
        }
    }

    private static JsonNode erase(TestServer server, String body) throws InterruptedException {
        HttpResponse<String> started = server.send("POST", "/admin/erasures", body, "X-Admin-Token",
                TestServer.ADMIN_TOKEN, "Content-Type", "application/json");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode job = TestServer.json(started);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (job.path("state").asText().equals("running") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            job = TestServer.json(server.send("GET", "/admin/erasures/" + job.path("id").asText(), null,
                    "X-Admin-Token", TestServer.ADMIN_TOKEN));
        }
        return job;
    }

    /** Every text column of every table of tenant rows, on every node, holding the value. */
    private static List<String> cellsHolding(ClickHouseEventStore store, String value) {
        List<String> found = new ArrayList<>();
        for (Row column : store.query(new Sql("SELECT table, name FROM system.columns WHERE database = currentDatabase()"
                + " AND type IN ('String', 'Nullable(String)') AND table IN (SELECT name FROM system.tables"
                + " WHERE database = currentDatabase() AND engine = 'Distributed') AND table IN (SELECT table"
                + " FROM system.columns WHERE database = currentDatabase() AND name = 'tenant_id')", List.of()))) {
            String table = column.string("table");
            String name = column.string("name");
            long rows = store.query(new Sql("SELECT count() AS n FROM " + table + " WHERE tenant_id = 'acme' AND ("
                    + name + " = ? OR position(" + name + ", ?) > 0)", List.of(value, "\"" + value + "\"")))
                    .get(0).longValue("n");
            if (rows > 0) {
                found.add(table + "." + name + ": " + rows);
            }
        }
        return found;
    }
}
