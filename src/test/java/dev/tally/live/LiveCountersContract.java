package dev.tally.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.error.Rejection;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.testing.MutableClock;
import dev.tally.testing.TestServer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every counter of the metrics object, moved one step at a time by a hand-made call history, run
 * against each {@link LiveState} implementation. The service is built by hand around the state under
 * test so the instruction lookup can be made to fail.
 */
abstract class LiveCountersContract {
    static final Instant START = Instant.parse("2026-03-15T12:00:00Z");

    private TestServer server;
    private LiveState state;
    private MutableClock clock;
    private LiveService live;
    private LiveService noFallback;
    private LiveService failingLookup;
    /** Tenant and agent pairs an exhausted budget refuses, as "tenant/agent"; agent "*" for every agent. */
    private final java.util.Set<String> refused = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A fresh, empty state of the implementation under test. */
    abstract LiveState newState();

    @BeforeEach
    void setUp() {
        server = TestServer.start(Clock.fixed(START, ZoneOffset.UTC));
        server.createTenant("acme", "Acme");
        server.createTenant("bare", "Bare");
        server.createTenant("limited", "Limit only");
        patch("acme", "{\"max_concurrent_calls\": 2, \"instructions\": \"Be kind\"}");
        patch("limited", "{\"max_concurrent_calls\": 5}");
        clock = new MutableClock(START);
        state = newState();
        InstructionSource tenants = InstructionSource.from(server.tally().tenants());
        InstructionSource failing = tenantId -> {
            throw new IllegalStateException("settings store down");
        };
        live = service(tenants, "Fallback text");
        noFallback = service(tenants, null);
        failingLookup = service(failing, "Fallback text");
    }

    private LiveService service(InstructionSource source, String fallback) {
        BudgetRefusals budgets = (tenantId, agentId) -> refused.contains(tenantId + "/" + agentId)
                || refused.contains(tenantId + "/*") ? java.util.Optional.of("bud_test") : java.util.Optional.empty();
        return new LiveService(state, source, budgets, server.tally().tenants(), server.tally().writer(), clock, 3,
                fallback, 600);
    }

    private void patch(String tenant, String body) {
        assertThat(server.send("PATCH", "/admin/tenants/" + tenant, body, "X-Admin-Token", TestServer.ADMIN_TOKEN)
                .statusCode()).isEqualTo(200);
    }

    @AfterEach
    void tearDown() {
        live.close(); // closes the shared state; the other two services only hold their reaper threads
        noFallback.close();
        failingLookup.close();
        server.close();
    }

    @Test
    void everyCounterMovesAsDefined() {
        // 1. acme admits c1 with its own instructions; a retry of the same event changes nothing.
        Map<String, Object> first = admit(live, "acme", "e1", "c1");
        assertThat(first).containsExactly(Map.entry("call_id", "c1"), Map.entry("decision", "accepted"),
                Map.entry("instructions", "Be kind"), Map.entry("instructions_source", "tenant"));
        assertThat(admit(live, "acme", "e1", "c1")).isEqualTo(first);
        assertThat(callStatus("c1")).isEqualTo("in_progress");
        // 2. c2 takes acme's second slot; c3 hits acme's limit of 2.
        assertThat(admit(live, "acme", "e2", "c2")).containsEntry("decision", "accepted");
        assertThat(admit(live, "acme", "e3", "c3")).containsEntry("reason", "capacity");
        // 3. bare has neither limit nor instructions.
        assertThat(admit(live, "bare", "e4", "b1")).containsEntry("decision", "rejected")
                .containsEntry("reason", "tenant_not_configured");
        // 4. limited has a limit but no instructions: the fallback; that is the platform's third slot.
        assertThat(admit(live, "limited", "e5", "l1")).containsEntry("instructions", "Fallback text")
                .containsEntry("instructions_source", "fallback");
        assertThat(admit(live, "limited", "e6", "l2")).containsEntry("reason", "capacity");
        // 5. without fallback instructions, limited's call cannot be answered.
        assertThat(admit(noFallback, "limited", "e7", "l3")).containsEntry("reason", "instructions_missing");
        // 6. the lookup fails: counted, but the platform is full, so no fallback is handed out.
        assertThat(admit(failingLookup, "acme", "e8", "c4")).containsEntry("reason", "capacity");
        assertThat(metrics(null)).isEqualTo(expected(0, 3, 3, 1, 1, 0, 1, 1, 0, 0, 0, 0, "0.00"));

        // 7. c1 starts a minute in (twice: counted once) and ends two minutes later (twice: counted once).
        clock.advance(Duration.ofSeconds(60));
        live.start("acme", "c1", "s1");
        live.start("acme", "c1", "s1");
        clock.advance(Duration.ofSeconds(120));
        Map<String, Object> ended = live.end("acme", "c1", "x1", CallOutcome.COMPLETED, null);
        assertThat(live.end("acme", "c1", "x1", CallOutcome.COMPLETED, null)).isEqualTo(ended);
        assertThat(ended).containsEntry("status", "completed").containsEntry("duration_seconds", 120.0);
        assertThat(callStatus("c1")).isEqualTo("completed");
        // 8. c2 starts at 180 s and is transferred, reporting 30 s of talk.
        live.start("acme", "c2", "s2");
        clock.advance(Duration.ofSeconds(60));
        live.end("acme", "c2", "x2", CallOutcome.REFERRED, 30_000L);
        assertThat(callRow("c2")).containsExactly("completed", "referred", "30000");
        // 9. two slots are free: the failing lookup now admits with the fallback (acme's own limit unknown).
        assertThat(admit(failingLookup, "acme", "e9", "c5")).containsEntry("instructions", "Fallback text")
                .containsEntry("instructions_source", "fallback");
        // 10. l1 starts at 240 s; at 300 s it has been live one minute: 120 + 30 + 60 seconds = 3.50 minutes.
        live.start("limited", "l1", "s3");
        clock.advance(Duration.ofSeconds(60));
        assertThat(metrics(null)).isEqualTo(expected(1, 4, 3, 1, 1, 0, 2, 2, 3, 2, 0, 1, "3.50"));
        // 11. c5 fails before it ever started: 0 seconds.
        live.end("acme", "c5", "x3", CallOutcome.FAILED, null);
        assertThat(callRow("c5")).containsExactly("failed", null, "0");
        // 12. at 700 s l1 (admitted at 0) outlived max-call-seconds 600: reaped as failed after 460 s live.
        clock.advance(Duration.ofSeconds(400));
        assertThat(live.reapNow()).isEqualTo(1);
        assertThat(live.reapNow()).isZero();
        assertThat(callRow("l1")).containsExactly("failed", "max_call_seconds", "460000");
        // 120 + 30 + 0 + 460 = 610 s = 10.1666… minutes
        assertThat(metrics(null)).isEqualTo(expected(0, 4, 3, 1, 1, 0, 2, 2, 3, 4, 2, 1, "10.17"));
        // acme alone: c1, c2, c5 accepted; c3 and c4 rejected; 120 + 30 + 0 s.
        assertThat(metrics("acme")).isEqualTo(expected(0, 3, 2, 0, 0, 0, 2, 1, 2, 3, 1, 1, "2.50"));
        assertThat(metrics("bare")).isEqualTo(expected(0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, "0.00"));
        // a late end of the reaped call gets the reaper's answer and counts nothing
        assertThat(live.end("limited", "l1", "x4", CallOutcome.COMPLETED, null))
                .containsEntry("status", "failed").containsEntry("end_reason", "max_call_seconds");
        assertThat(metrics(null).get("ended_calls")).isEqualTo(4L);
        assertThat(state.sessions()).isEmpty();
    }

    @Test
    void reapingFreesTheSlot() {
        for (int call = 1; call <= 3; call++) {
            assertThat(admit(live, "limited", "e" + call, "l" + call)).containsEntry("decision", "accepted");
        }
        assertThat(admit(live, "limited", "e4", "l4")).containsEntry("reason", "capacity");
        clock.advance(Duration.ofSeconds(599));
        assertThat(live.reapNow()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(live.reapNow()).isEqualTo(3);
        assertThat(admit(live, "limited", "e5", "l5")).containsEntry("decision", "accepted");
        Map<String, Object> capacity = live.capacity();
        assertThat(capacity.get("global").toString()).contains("held_slots=1", "pending_calls=1");
    }

    @Test
    void unknownCallsAndReusedCallIdsAreErrorsThatCountNothing() {
        admit(live, "acme", "e1", "c1");
        assertThatThrownBy(() -> admit(live, "acme", "e2", "c1"))
                .isInstanceOfSatisfying(Rejection.class, error -> assertThat(error.kind()).isEqualTo(Rejection.Kind.CONFLICT));
        assertThatThrownBy(() -> live.start("acme", "nope", "s1"))
                .isInstanceOfSatisfying(Rejection.class, error -> assertThat(error.kind()).isEqualTo(Rejection.Kind.NOT_FOUND));
        // another tenant cannot end acme's call
        assertThatThrownBy(() -> live.end("limited", "c1", "x1", CallOutcome.FAILED, null))
                .isInstanceOfSatisfying(Rejection.class, error -> assertThat(error.kind()).isEqualTo(Rejection.Kind.NOT_FOUND));
        assertThat(metrics(null)).isEqualTo(expected(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "0.00"));
    }

    @Test
    void anExhaustedBudgetRefusesTheCallsItCoversAndCountsThem() {
        refused.add("acme/agent-1");
        assertThat(admit(live, "acme", "e1", "c1")).containsExactly(Map.entry("call_id", "c1"),
                Map.entry("decision", "rejected"), Map.entry("reason", "budget_exhausted"));
        assertThat(admit(live, "acme", "e1", "c1")).as("a retry gets the first answer and counts nothing")
                .containsEntry("reason", "budget_exhausted");
        assertThat(live.admit("acme", new LiveService.AdmitCommand("e2", "c2", "agent-2", "inbound", null)))
                .as("another agent's call").containsEntry("decision", "accepted");
        assertThat(admit(noFallback, "bare", "e3", "b1")).as("an unconfigured tenant is told that first")
                .containsEntry("reason", "tenant_not_configured");
        refused.clear();
        assertThat(admit(live, "acme", "e4", "c3")).as("the budget no longer refuses").containsEntry("decision", "accepted");
        assertThat(metrics(null)).isEqualTo(expected(0, 2, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, "0.00"));
        assertThat(metrics("acme")).isEqualTo(expected(0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, "0.00"));
        io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
                new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        live.bindMeters(registry).run();
        assertThat(registry.scrape()).contains("# TYPE tally_rejected_calls_budget_exhausted_total counter\n")
                .contains("tally_rejected_calls_budget_exhausted_total{tenant=\"acme\"} 1.0\n");
    }

    private Map<String, Object> admit(LiveService service, String tenant, String eventId, String callId) {
        return service.admit(tenant, new LiveService.AdmitCommand(eventId, callId, "agent-1", "inbound", null));
    }

    private Map<String, Object> metrics(String tenant) {
        return live.metrics(tenant);
    }

    private static Map<String, Object> expected(long active, long accepted, long capacity, long notConfigured,
                                                long instructionsMissing, long budgetExhausted, long dbErrors, long fallback, long started,
                                                long ended, long failed, long referred, String minutes) {
        Map<String, Object> expected = new LinkedHashMap<>();
        long[] values = {active, accepted, capacity, notConfigured, instructionsMissing, budgetExhausted, dbErrors, fallback, started,
            ended, failed, referred};
        for (int index = 0; index < values.length; index++) {
            expected.put(LiveCounter.METRICS[index].fieldName(), values[index]);
        }
        expected.put("minutes_processed", new BigDecimal(minutes));
        return expected;
    }

    private String callStatus(String callId) {
        return callRow(callId).get(0);
    }

    private List<String> callRow(String callId) {
        List<Row> rows = server.tally().events().query(new Sql(
                "SELECT status, end_reason, CAST(duration_ms AS VARCHAR) AS duration FROM calls WHERE id = ?",
                List.of(callId)));
        assertThat(rows).hasSize(1);
        List<String> row = new ArrayList<>();
        row.add(rows.get(0).string("status"));
        row.add(rows.get(0).string("end_reason"));
        row.add(rows.get(0).string("duration"));
        return row;
    }
}
