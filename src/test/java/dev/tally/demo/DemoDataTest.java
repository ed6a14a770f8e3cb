package dev.tally.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.app.ServerConfig;
import dev.tally.app.Tally;
import dev.tally.auth.ApiKey;
import dev.tally.store.callcost.CallCost;
import dev.tally.store.callcost.CallCostOrder;
import dev.tally.store.callcost.CallCostQuery;
import dev.tally.store.callcost.CallCostSummary;
import dev.tally.store.callcost.CostComponent;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo loaded into an in-memory Tally, checked with SQL for what the reports need to show
 * something: every figure present, nothing in the future, the same data every time.
 */
class DemoDataTest {
    /** An odd moment of the day on purpose: today's data must stop at it. */
    private static final Instant NOW = Instant.parse("2026-03-15T12:34:56.789Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final long DAY_MS = 86_400_000L;

    private static Tally tally;
    private static DemoLoader.Summary firstLoad;

    @BeforeAll
    static void load() {
        tally = Tally.open(ServerConfig.forTests("admin-token"), CLOCK);
        firstLoad = DemoData.ensureLoaded(tally).orElseThrow();
    }

    @AfterAll
    static void close() {
        tally.close();
    }

    @Test
    void loadsTheIntendedVolumeQuickly() {
        long events = single("SELECT count(*) AS n FROM events") + single("SELECT count(*) AS n FROM calls");
        // each carrier's price is accepted as a correction of a message already stored
        assertThat(firstLoad.accepted()).isEqualTo(events + corrections());
        assertThat(firstLoad.duplicates()).isZero();
        assertThat(events).isBetween(150_000L, 300_000L);
        System.out.printf("demo: %d events in %d ms; %s%n", events, firstLoad.took().toMillis(), countsByType(tally));
    }

    @Test
    void acmesBudgetsStandWhereTheDemoSetThem() {
        java.util.Map<String, dev.tally.budget.BudgetStatus> statuses = new java.util.HashMap<>();
        for (String id : java.util.List.of("bud_demo_acme_monthly_spend", "bud_demo_acme_weekly_credits")) {
            statuses.put(id, tally.budgets().status(tally.budgets().budget(id).orElseThrow()));
        }
        dev.tally.budget.BudgetStatus monthly = statuses.get("bud_demo_acme_monthly_spend");
        assertThat(monthly.spent()).as("the month so far has spend").isPositive();
        // 85 % of the limit, the limit rounded up to a whole dollar: a warning, not yet exhausted
        assertThat(monthly.percent()).isBetween(new java.math.BigDecimal("80"), new java.math.BigDecimal("85"));
        assertThat(statuses.get("bud_demo_acme_weekly_credits").percent())
                .isBetween(new java.math.BigDecimal("20"), new java.math.BigDecimal("40"));
    }

    @Test
    void configuresLiveCallSettingsForTwoTenantsAndLeavesTheThirdUnconfigured() {
        assertThat(tally.tenants().require("acme").maxConcurrentCalls()).isEqualTo(20);
        assertThat(tally.tenants().require("acme").instructions()).contains("Acme Voice");
        assertThat(tally.tenants().require("globex").maxConcurrentCalls()).isEqualTo(5);
        assertThat(tally.tenants().require("initech").maxConcurrentCalls()).isNull();
        assertThat(tally.tenants().require("initech").instructions()).isNull();
    }

    @Test
    void isDeterministic() {
        try (Tally other = Tally.open(ServerConfig.forTests("admin-token"), CLOCK)) {
            DemoData.ensureLoaded(other).orElseThrow();
            assertThat(countsByType(other)).isEqualTo(countsByType(tally));
            assertThat(fingerprint(other)).isEqualTo(fingerprint(tally));
        }
    }

    @Test
    void hasThreeTenantsWithAgentsMembersAndNumbers() {
        assertThat(tally.tenants().list()).extracting(tenant -> tenant.id())
                .containsExactlyInAnyOrder("acme", "globex", "initech");
        for (String tenant : List.of("acme", "globex", "initech")) {
            List<Row> agents = tally.events().query(new Sql(
                    "SELECT DISTINCT agent_id FROM calls WHERE tenant_id = ?", List.of(tenant)));
            assertThat(agents).hasSizeBetween(3, 5);
            agents.forEach(row -> assertThat(UUID.fromString(row.string("agent_id"))).isNotNull());
            assertThat(count("SELECT count(DISTINCT user_email) AS n FROM calls WHERE tenant_id = ?", tenant))
                    .isBetween(2L, 3L);
            assertThat(count("SELECT count(DISTINCT member_id) AS n FROM events WHERE tenant_id = ?"
                    + " AND type = 'chat'", tenant)).isBetween(5L, 8L);
            assertThat(count("SELECT count(DISTINCT phone_number) AS n FROM events WHERE tenant_id = ?"
                    + " AND type = 'sms'", tenant)).isBetween(2L, 4L);
            assertThat(count("SELECT count(*) AS n FROM events WHERE tenant_id = ? AND member_id NOT LIKE 'mem_%'",
                    tenant)).isZero();
        }
    }

    @Test
    void acmeHasCallsOnAlmostEveryDayOfNinety() {
        long firstDay = NOW.toEpochMilli() / DAY_MS - 89;
        long days = count("SELECT count(DISTINCT time_ms // 86400000) AS n FROM calls WHERE tenant_id = ?", "acme");
        assertThat(days).isGreaterThanOrEqualTo(80);
        assertThat(count("SELECT count(*) AS n FROM calls WHERE time_ms < ?", firstDay * DAY_MS - DAY_MS)).isZero();
        assertThat(count("SELECT count(*) AS n FROM calls WHERE tenant_id = ?", "acme"))
                .isGreaterThan(count("SELECT count(*) AS n FROM calls WHERE tenant_id = ?", "globex"))
                .isGreaterThan(0);
    }

    @Test
    void callsHaveEveryStatusAndAFewAreStillInProgress() {
        assertThat(count("SELECT count(*) AS n FROM calls WHERE status = ?", "failed")).isPositive();
        assertThat(count("SELECT count(*) AS n FROM calls WHERE status = ?", "completed"))
                .isGreaterThan(count("SELECT count(*) AS n FROM calls WHERE status = ?", "failed") * 5);
        assertThat(count("SELECT count(*) AS n FROM calls WHERE status = ?", "in_progress")).isBetween(2L, 4L);
        assertThat(count("SELECT count(*) AS n FROM calls WHERE tenant_id = ? AND status = 'in_progress'", "acme"))
                .isPositive();
        long fifteenMinutesAgo = NOW.toEpochMilli() - 15 * 60_000L;
        assertThat(count("SELECT count(*) AS n FROM calls WHERE status = 'in_progress'"
                + " AND (ended_ms IS NOT NULL OR duration_ms IS NOT NULL OR time_ms < ?)", fifteenMinutesAgo)).isZero();
        assertThat(count("SELECT count(*) AS n FROM calls WHERE status <> 'in_progress'"
                + " AND (ended_ms IS NULL OR cost_nanos <= 0)")).isZero();
        for (String label : List.of("positive", "neutral", "negative")) {
            assertThat(count("SELECT count(*) AS n FROM calls WHERE sentiment = ?", label)).isPositive();
        }
        assertThat(count("SELECT count(*) AS n FROM calls WHERE sentiment IS NULL")).isPositive();
        for (String reason : List.of("hangup", "error", "referred", "timeout")) {
            assertThat(count("SELECT count(*) AS n FROM calls WHERE end_reason = ?", reason)).isPositive();
        }
    }

    @Test
    void everyDropOffBucketHasCalls() {
        String finished = "SELECT count(*) AS n FROM calls WHERE status <> 'in_progress' AND ";
        assertThat(count(finished + "duration_ms < 30000")).isPositive();
        assertThat(count(finished + "duration_ms >= 30000 AND duration_ms < 60000")).isPositive();
        assertThat(count(finished + "duration_ms >= 60000 AND duration_ms < 180000")).isPositive();
        assertThat(count(finished + "duration_ms >= 180000 AND duration_ms < 300000")).isPositive();
        assertThat(count(finished + "duration_ms >= 300000")).isPositive();
        assertThat(count(finished + "duration_ms > 660000")).isZero();
    }

    @Test
    void onlyTheFineTunedModelIsUnpriced() {
        List<Row> unpriced = tally.events().query(new Sql(
                "SELECT DISTINCT tenant_id, model FROM events WHERE type = 'llm' AND cost_source = 'unpriced'",
                List.of()));
        assertThat(unpriced).extracting(row -> row.string("tenant_id") + "/" + row.string("model"))
                .containsExactly("acme/acme-finetune-v2");
        assertThat(count("SELECT count(*) AS n FROM events WHERE cost_source = 'computed' AND cost_nanos <= 0"))
                .isZero();
        assertThat(count("SELECT count(DISTINCT model) AS n FROM events WHERE type = 'llm'"
                + " AND cost_source = 'computed'")).isEqualTo(5);
    }

    @Test
    void transcriptionsSynthesesAndAcmesTextsArePricedAndFeesAreThere() {
        assertThat(count("SELECT count(*) AS n FROM events WHERE type IN ('stt', 'tts')"
                + " AND (cost_source <> 'computed' OR cost_nanos <= 0)")).isZero();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'stt'")).isPositive();
        // but those the carrier priced later (someTextsGetTheirCarriersPriceLaterAsACorrection)
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'sms' AND tenant_id = 'acme' AND revision = 0"
                + " AND (cost_source <> 'computed' OR cost_nanos <= 0)")).isZero();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'sms' AND tenant_id = 'globex'"
                + " AND cost_source = 'unpriced'")).isPositive();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'fee' AND kind = 'analysis'"
                + " AND call_id IS NOT NULL AND cost_source = 'reported' AND cost_nanos = 10000000")).isPositive();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'fee' AND kind = 'phone_number'"
                + " AND unit = 'month' AND quantity_micros = 1000000")).isPositive();
    }

    @Test
    void llmEventsCarryTracesTokensAndSomeFailures() {
        long callsWithLlm = count("SELECT count(DISTINCT call_id) AS n FROM events WHERE type = 'llm'"
                + " AND call_id IS NOT NULL");
        long callRoots = count("SELECT count(*) AS n FROM events WHERE type = 'llm' AND call_id IS NOT NULL"
                + " AND parent_id IS NULL");
        assertThat(callRoots).isEqualTo(callsWithLlm);
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'llm' AND exception IS NOT NULL"))
                .isPositive();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'llm' AND kind = 'realtime'"
                + " AND input_audio_tokens > 0 AND output_audio_tokens > 0")).isPositive();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'llm' AND cached_input_tokens > 0"))
                .isPositive();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'llm' AND cache_creation_input_tokens > 0"))
                .isPositive();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'llm' AND (ended_ms IS NULL"
                + " OR trace_id IS NULL OR thread_id IS NULL OR op_name IS NULL)")).isZero();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'stt' AND provider = 'deepgram'"
                + " AND duration_ms > 0")).isPositive();
        assertThat(count("SELECT count(DISTINCT provider || '/' || model) AS n FROM events WHERE type = 'tts'"
                + " AND characters > 0 AND audio_duration_ms > 0")).isEqualTo(3);
    }

    @Test
    void textsIncludeLongAndUnicodeMessagesOnTheTenantsNumbers() {
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'sms' AND segments > 1")).isPositive();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'sms' AND encoding = 'ucs2'")).isPositive();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'sms' AND direction = 'inbound'")).isPositive();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'sms' AND direction = 'outbound'"))
                .isPositive();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'sms' AND phone_number IS NULL")).isZero();
    }

    @Test
    void membersChatAndTheirCompletionsAreAttributed() {
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'chat' AND member_id = ?", DemoData.MEMBER_ID))
                .isPositive();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'message' AND role = 'user'")).isPositive();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'message' AND role = 'assistant'"))
                .isPositive();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'message' AND channel = 'sms'")).isPositive();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'llm' AND chat_id IS NOT NULL"
                + " AND member_id = ? AND credits_micros > 0", DemoData.MEMBER_ID)).isPositive();
        assertThat(count("SELECT count(*) AS n FROM events m WHERE type = 'message' AND NOT EXISTS"
                + " (SELECT 1 FROM events c WHERE c.type = 'chat' AND c.tenant_id = m.tenant_id AND c.id = m.chat_id)"))
                .isZero();
    }

    @Test
    void nothingHappensAfterNow() {
        long now = NOW.toEpochMilli();
        for (String table : List.of("events", "calls")) {
            assertThat(count("SELECT count(*) AS n FROM " + table + " WHERE time_ms > ? OR ended_ms > ?", now, now))
                    .isZero();
        }
        assertThat(count("SELECT count(*) AS n FROM events WHERE time_ms >= ?", now - NOW.toEpochMilli() % DAY_MS))
                .isPositive();
    }

    @Test
    void theDemoKeysWork() {
        ApiKey analytics = tally.keys().authenticate(DemoData.ANALYTICS_KEY).orElseThrow();
        assertThat(analytics.tenantId()).isEqualTo("acme");
        assertThat(analytics.memberId()).isEqualTo(DemoData.MEMBER_ID);
        assertThat(tally.keys().authenticate(DemoData.INGEST_KEY)).isPresent();
        assertThat(tally.keys().authenticate(DemoData.SUPER_ADMIN_KEY).orElseThrow().isPlatformKey()).isTrue();
        String welcome = DemoData.welcome("127.0.0.1", 8080, "admin-token", NOW);
        assertThat(welcome).contains(DemoData.ANALYTICS_KEY, DemoData.INGEST_KEY, DemoData.SUPER_ADMIN_KEY,
                "/reports/member-usage/" + DemoData.MEMBER_ID, "\"start\":\"2026-03-08T00:00:00Z\"", "-u :");
    }

    @Test
    void loadingAgainAddsNothing() {
        Map<String, Long> before = countsByType(tally);
        List<Object> fingerprintBefore = fingerprint(tally);
        assertThat(DemoData.ensureLoaded(tally)).isEmpty();
        // Even forced, a second load is all duplicates: the ids are deterministic.
        DemoLoader.Summary again = DemoLoader.loadEvents(tally);
        long otherEvents = single("SELECT count(*) AS n FROM events");
        // a corrected message is answered twice: its first version stale, its correction a duplicate
        assertThat(again.duplicates()).isEqualTo(otherEvents + corrections());
        assertThat(countsByType(tally)).isEqualTo(before);
        assertThat(fingerprint(tally)).isEqualTo(fingerprintBefore);
        assertThat(tally.keys().list(null)).hasSize(3);
    }

    /**
     * Some texts get their carrier's price an hour later, as a correction: they are stored once, at
     * revision 1, with the carrier's reported cost, which the SMS spend then holds.
     */
    @Test
    void someTextsGetTheirCarriersPriceLaterAsACorrection() {
        long corrected = corrections();
        assertThat(corrected).isPositive();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'sms' AND revision = 1"
                + " AND (cost_source <> 'reported' OR cost_nanos <= 0 OR direction <> 'outbound')")).isZero();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'sms' AND direction = 'outbound'"
                + " AND revision = 0")).isGreaterThan(corrected);
        assertThat(count("SELECT count(DISTINCT id) AS n FROM events WHERE type = 'sms'"))
                .isEqualTo(count("SELECT count(*) AS n FROM events WHERE type = 'sms'"));
    }

    private static long corrections() {
        return single("SELECT count(*) AS n FROM events WHERE revision > 0");
    }

    private static Map<String, Long> countsByType(Tally store) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Row row : store.events().query(new Sql("SELECT 'call/' || status AS type, count(*) AS n FROM calls"
                + " GROUP BY 1 UNION ALL SELECT type, count(*) FROM events GROUP BY 1 ORDER BY 1", List.of()))) {
            counts.put(row.string("type"), row.longValue("n"));
        }
        return counts;
    }

    private static List<Object> fingerprint(Tally store) {
        Row events = store.events().query(new Sql("SELECT sum(cost_nanos) AS cost, sum(credits_micros) AS credits,"
                + " sum(time_ms) AS times, sum(input_tokens + output_tokens) AS tokens, sum(segments) AS segments"
                + " FROM events", List.of())).get(0);
        Row calls = store.events().query(new Sql("SELECT sum(cost_nanos) AS cost, sum(duration_ms) AS duration"
                + " FROM calls", List.of())).get(0);
        return List.of(events.longValue("cost"), events.longValue("credits"), events.longValue("times"),
                events.longValue("tokens"), events.longValue("segments"), calls.longValue("cost"),
                calls.longValue("duration"));
    }

    private static long single(String sql) {
        return count(sql);
    }

    @Test
    void callsCarryTheirWholeCostAndSomePlatformTotalsDisagree() {
        for (String kind : List.of("platform", "analysis", "transport", "phone_number")) {
            assertThat(count("SELECT count(*) AS n FROM events WHERE type = 'fee' AND kind = ?", kind)).as(kind)
                    .isPositive();
        }
        assertThat(count("SELECT count(*) AS n FROM calls WHERE provider IS NULL")).isZero();
        assertThat(count("SELECT count(*) AS n FROM events WHERE type IN ('stt', 'tts') AND call_id IS NOT NULL"
                + " AND cost_source = 'computed'")).isPositive();
        long lastDay = Math.floorDiv(NOW.toEpochMilli(), DAY_MS);
        CallCostSummary summary = tally.events().callCosts(new CallCostQuery("acme", (lastDay - 29) * DAY_MS,
                (lastDay + 1) * DAY_MS, null, 20, CallCostOrder.COST_DESC));
        assertThat(summary.mismatched()).hasSize(20);
        assertThat(summary.calls()).hasSize(20);
        CallCost dearest = summary.calls().get(0);
        for (CostComponent part : List.of(CostComponent.TELEPHONY, CostComponent.LLM, CostComponent.PLATFORM)) {
            assertThat(dearest.components().get(part)).as(part + " of " + dearest).isPositive();
        }
    }

    private static long count(String sql, Object... parameters) {
        return tally.events().query(new Sql(sql, List.of(parameters))).get(0).longValue("n");
    }
}
