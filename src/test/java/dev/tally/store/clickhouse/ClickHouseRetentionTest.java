package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.app.ServerConfig;
import dev.tally.store.sql.Sql;
import dev.tally.testing.ClickHouseCluster;
import dev.tally.testing.MutableClock;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Retention on ClickHouse when the worker has not recomputed the hours before the horizon yet (it
 * waits a minute after their last mark): the run records them from their whole raw rows before
 * those go, after waiting for marks that fresh to settle, as a write of another instance may still
 * be inserting behind them. Every total stays, also once those hours are marked again.
 */
class ClickHouseRetentionTest {
    private static final Instant NOW = Instant.parse("2026-03-31T12:00:00Z");
    /** With 10 days kept at {@link #NOW}. */
    private static final long HORIZON_MS = Instant.parse("2026-03-21T00:00:00Z").toEpochMilli();
    private static final List<String> REPORTS = List.of(
            "/v1/analytics/spend?from=2026-03-01&to=2026-03-31",
            "/v1/analytics/spend?from=2026-03-10&to=2026-03-10",
            "/api/v2/w/acme/reports/ai-usage?start_date=2026-03-01&end_date=2026-03-31",
            "/api/v2/w/acme/reports/sms-usage?start_date=2026-03-01&end_date=2026-03-31",
            "/api/v2/w/acme/reports/phone-usage?start_date=2026-03-01&end_date=2026-03-31",
            "/api/v2/w/acme/reports/member-usage/m1?start_date=2026-03-01&end_date=2026-03-31");

    /** A call and its parts, an SMS, a chat and its message and LLM request, on a day before the horizon and one after. */
    private static String events() {
        StringBuilder events = new StringBuilder("[");
        for (String day : List.of("10", "25")) {
            events.append(events.length() > 1 ? "," : "").append("""
                    {"id": "call-%1$s", "type": "call", "time": "2026-03-%1$sT09:00:00Z", "status": "completed",
                     "ended_at": "2026-03-%1$sT09:04:00Z", "cost_usd": 0.04, "agent_id": "a1", "direction": "inbound",
                     "phone_number": "+14155550101"},
                    {"id": "llm-%1$s", "type": "llm", "time": "2026-03-%1$sT09:01:00Z", "provider": "openai",
                     "model": "gpt-4o", "input_tokens": 400, "output_tokens": 40, "call_id": "call-%1$s",
                     "ended_at": "2026-03-%1$sT09:01:01Z"},
                    {"id": "fee-%1$s", "type": "fee", "time": "2026-03-%1$sT09:09:00Z", "kind": "platform",
                     "cost_usd": 0.05, "call_id": "call-%1$s"},
                    {"id": "sms-%1$s", "type": "sms", "time": "2026-03-%1$sT10:00:00Z", "direction": "outbound",
                     "phone_number": "+14155550100", "body": "hello", "cost_usd": 0.0079},
                    {"id": "chat-%1$s", "type": "chat", "time": "2026-03-%1$sT11:00:00Z", "member_id": "m1"},
                    {"id": "msg-%1$s", "type": "message", "time": "2026-03-%1$sT11:00:01Z", "chat_id": "chat-%1$s",
                     "role": "user"},
                    {"id": "chat-llm-%1$s", "type": "llm", "time": "2026-03-%1$sT11:00:02Z", "provider": "openai",
                     "model": "gpt-4o-mini", "input_tokens": 900, "output_tokens": 90, "chat_id": "chat-%1$s",
                     "member_id": "m1", "ended_at": "2026-03-%1$sT11:00:03Z"}""".formatted(day));
        }
        return events.append(']').toString();
    }

    @Test
    void hoursNotYetRecomputedAreRecordedFromWholeRawRowsBeforeTheyGo() {
        ClickHouseConfig config = ClickHouseCluster.shared().newDatabase();
        try (TestServer server = withEvents(config)) {
            String key = server.createMemberKey("acme", "m1", "analytics:read", "members:read");
            Map<String, String> before = server.answers(key, REPORTS);
            ClickHouseHttp http = new ClickHouseHttp(config.endpoints(), ClickHouseStore.settings(config, true));
            assertThat(recordedHours(http)).as("nothing recomputed yet").isZero();

            // a clock a settling time ahead: the marks are due, nothing to wait for
            ClickHouseRollups settled = new ClickHouseRollups(http, new ClickHouseDialect(),
                    () -> System.currentTimeMillis() + ClickHouseRollups.SETTLE_MS);
            long started = System.nanoTime();
            Map<String, Long> deleted = ClickHouseRetention.deleteBefore(http, settled, "acme", HORIZON_MS, step -> { });
            assertThat(System.nanoTime() - started).as("no wait").isLessThan(ClickHouseRollups.SETTLE_MS * 1_000_000 / 2);

            assertThat(deleted).isEqualTo(Map.of("events", 5L, "calls", 1L));
            assertThat(rawRowsBefore(server)).isZero();
            assertThat(recordedHours(http)).as("the expired day's three hours, not the kept day's").isEqualTo(3);
            assertThat(server.answers(key, REPORTS)).isEqualTo(before);
            markEveryHourAgain(http);
            ((ClickHouseEventStore) server.tally().events()).recomputeRollups();
            assertThat(server.answers(key, REPORTS)).as("recomputed after the run").isEqualTo(before);
        }
    }

    @Test
    void marksYoungerThanTheSettlingTimeAreWaitedFor() {
        ClickHouseConfig config = ClickHouseCluster.shared().newDatabase();
        try (TestServer server = withEvents(config)) {
            ClickHouseHttp http = new ClickHouseHttp(config.endpoints(), ClickHouseStore.settings(config, true));
            // a clock two seconds short of the marks settling
            long shortBy = 2_000;
            ClickHouseRollups fresh = new ClickHouseRollups(http, new ClickHouseDialect(),
                    () -> System.currentTimeMillis() + ClickHouseRollups.SETTLE_MS - shortBy);
            long started = System.nanoTime();
            fresh.recomputeBefore("acme", HORIZON_MS);
            assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(shortBy - 500);
            assertThat(recordedHours(http)).isEqualTo(3);
        }
    }

    /** A server on the database, acme's events written and not recomputed yet. */
    private static TestServer withEvents(ClickHouseConfig config) {
        TestServer server = TestServer.start(ServerConfig.forTests(TestServer.ADMIN_TOKEN).withClickHouse(config),
                new MutableClock(NOW));
        server.createTenant("acme", "acme");
        // sent as is, not through TestServer.ingest, which recomputes what it wrote on ClickHouse
        HttpResponse<String> written = server.send("POST", "/v1/events", events(), "Authorization",
                "Bearer " + server.createKey("acme", "events:write"));
        assertThat(TestServer.json(written).path("accepted").asInt()).as(written.body()).isEqualTo(14);
        return server;
    }

    /** Every hour of the tenant marked anew, as a late chat or an erasure would. */
    private static void markEveryHourAgain(ClickHouseHttp http) {
        Set<ClickHouseRollups.TenantHour> hours = http.query("SELECT DISTINCT hour FROM " + ClickHouseRollups.MARKS
                + " WHERE tenant_id = 'acme'").stream()
                .map(row -> new ClickHouseRollups.TenantHour("acme", row.longValue("hour"))).collect(Collectors.toSet());
        assertThat(hours).hasSize(6);
        new ClickHouseRollups(http, new ClickHouseDialect(), System::currentTimeMillis).mark(hours, true);
    }

    private static long recordedHours(ClickHouseHttp http) {
        return http.query("SELECT count(DISTINCT hour) AS n FROM " + ClickHouseRollups.HOURS
                + " WHERE tenant_id = 'acme'").get(0).longValue("n");
    }

    private static long rawRowsBefore(TestServer server) {
        long rows = 0;
        for (String table : List.of("events", "calls")) {
            rows += server.tally().events().query(new Sql("SELECT count() AS n FROM " + table
                    + " WHERE tenant_id = 'acme' AND time_ms < ? AND type <> 'chat'", List.of(HORIZON_MS)))
                    .get(0).longValue("n");
        }
        return rows;
    }
}
