package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.auth.ApiKey;
import dev.tally.auth.Scope;
import dev.tally.pricing.PriceEntry;
import dev.tally.tenant.Budget;
import dev.tally.tenant.BudgetAction;
import dev.tally.tenant.BudgetMeasure;
import dev.tally.tenant.BudgetPeriod;
import dev.tally.tenant.BudgetScope;
import dev.tally.tenant.IntegrationProvider;
import dev.tally.tenant.IntegrationSecret;
import dev.tally.tenant.DeliveryState;
import dev.tally.tenant.Tenant;
import dev.tally.tenant.Webhook;
import dev.tally.tenant.WebhookAttempt;
import dev.tally.tenant.WebhookDelivery;
import dev.tally.tenant.WebhookEvent;
import dev.tally.tenant.WebhookNotification;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every metadata store must do, run against each one (DuckDB, the two-shard ClickHouse
 * cluster): tenants created once and updated in place, keys found by hash and revoked once, prices
 * stored exactly as decimals and deleted once, a tenant's webhook secrets replaced and removed per provider,
 * budget webhooks and their outbox: a notification decided once, each delivery attempt claimed once.
 */
public abstract class MetadataStoreContract {
    private static final RecursiveComparisonConfiguration DECIMALS_BY_VALUE = RecursiveComparisonConfiguration
            .builder().withComparatorForType(Comparator.nullsFirst(BigDecimal::compareTo), BigDecimal.class).build();
    protected MetadataStore store;
    private AutoCloseable opened;

    /** A fresh, empty store, and what to close after the test. */
    protected abstract MetadataStore newStore();

    protected abstract AutoCloseable resources();

    /** True when several Tally instances share the store, so each attempt needs claiming. */
    protected abstract boolean sharedByInstances();

    @BeforeEach
    void open() {
        store = newStore();
        opened = resources();
    }

    @AfterEach
    void close() throws Exception {
        opened.close();
    }

    @Test
    void aTenantIsCreatedOnceAndUpdatedInPlace() {
        assertThat(store.createTenant(Tenant.named("acme", "Acme", 1_000))).isTrue();
        assertThat(store.createTenant(Tenant.named("acme", "Again", 2_000))).isFalse();
        assertThat(store.tenant("acme").orElseThrow().name()).isEqualTo("Acme");

        store.updateTenant(new Tenant("acme", "Acme Inc", 1_000, 7, "be brief", true));

        assertThat(store.tenant("acme")).contains(new Tenant("acme", "Acme Inc", 1_000, 7, "be brief", true));
        store.updateTenant(new Tenant("acme", "Acme Inc", 1_000, 7, "be brief", true, 90));
        assertThat(store.tenant("acme").orElseThrow().retentionDays()).isEqualTo(90);
        store.updateTenant(new Tenant("acme", "Acme Inc", 1_000, 7, "be brief", true, null));
        assertThat(store.tenant("acme").orElseThrow().retentionDays()).isNull();
        assertThat(store.createTenant(Tenant.named("globex", "Globex", 3_000))).isTrue();
        assertThat(store.tenants()).extracting(Tenant::id).containsExactly("acme", "globex");
        assertThat(store.tenant("initech")).isEmpty();
    }

    @Test
    void aKeyIsFoundByItsHashAndRevokedOnce() {
        ApiKey key = new ApiKey("key_1", "acme", "ingest", Set.of(Scope.EVENTS_WRITE, Scope.ANALYTICS_READ), "hash-1",
                "tly_abc", "mem_7", 1_000, 9_000, null);
        ApiKey platform = new ApiKey("key_2", null, "platform", Set.of(Scope.SUPER_ADMIN), "hash-2", "tly_def", null,
                1_000, 9_000, null);
        store.insertKey(key);
        store.insertKey(platform);

        assertThat(store.keyByHash("hash-1")).contains(key);
        assertThat(store.keyByHash("hash-2")).contains(platform);
        assertThat(store.keyByHash("hash-3")).isEmpty();
        assertThat(store.keys()).containsExactlyInAnyOrder(key, platform);

        assertThat(store.revokeKey("key_1", 5_000)).isTrue();
        assertThat(store.revokeKey("key_1", 6_000)).as("a revoked key is not live").isFalse();
        assertThat(store.revokeKey("key_9", 6_000)).isFalse();
        assertThat(store.keyByHash("hash-1").orElseThrow().revokedMs()).isEqualTo(5_000L);
    }

    @Test
    void pricesKeepTheirDecimalsAndAreDeletedOnce() {
        PriceEntry tenantPrice = new PriceEntry("acme/gpt-4o", "acme", "openai", "gpt-4o", LocalDate.of(2025, 3, 1),
                new BigDecimal("2.125"), new BigDecimal("1.0625"), null, new BigDecimal("9"), null, null,
                new BigDecimal("0.75"));
        PriceEntry platformPrice = new PriceEntry("platform/claude", null, "anthropic", "claude-*", LocalDate.of(2024, 1, 1),
                new BigDecimal("0.000001"), null, new BigDecimal("3.75"), new BigDecimal("15"),
                new BigDecimal("40"), new BigDecimal("80"), BigDecimal.ONE);
        store.insertPrice(tenantPrice);
        store.insertPrice(platformPrice);

        // DuckDB hands back a decimal at its column's scale (2.125000): the same number, compared as one
        assertThat(store.prices()).usingRecursiveFieldByFieldElementComparator(DECIMALS_BY_VALUE)
                .containsExactlyInAnyOrder(tenantPrice, platformPrice);
        assertThat(store.deletePrice("acme/gpt-4o")).isTrue();
        assertThat(store.deletePrice("acme/gpt-4o")).isFalse();
        assertThat(store.deletePrice("nothing")).isFalse();
        assertThat(store.prices()).usingRecursiveFieldByFieldElementComparator(DECIMALS_BY_VALUE)
                .containsExactly(platformPrice);
    }

    @Test
    void pricesOfEveryUnitKeepTheirRatesAndPrefix() {
        List<PriceEntry> entries = List.of(
                PriceEntry.of("stt", null, "deepgram", "nova-3", LocalDate.of(2025, 1, 1), null,
                        Map.of("per_audio_minute", new BigDecimal("0.0043"))),
                PriceEntry.of("tts", "acme", "elevenlabs", "eleven*", LocalDate.of(2025, 1, 1), null,
                        Map.of("per_million_characters", new BigDecimal("15"))),
                PriceEntry.of("sms", null, "twilio", "*", LocalDate.of(2025, 1, 1), null,
                        Map.of("per_segment_outbound", new BigDecimal("0.0079"),
                                "per_segment_inbound", new BigDecimal("0.0075"))),
                PriceEntry.of("call-uk", null, "twilio", "*", LocalDate.of(2025, 1, 1), "+44",
                        Map.of("per_minute_outbound", new BigDecimal("0.02"),
                                "per_minute_inbound", new BigDecimal("0.000001"))));
        entries.forEach(store::insertPrice);

        assertThat(store.prices()).usingRecursiveFieldByFieldElementComparator(DECIMALS_BY_VALUE)
                .containsExactlyInAnyOrderElementsOf(entries);
        assertThat(store.deletePrice("call-uk")).isTrue();
        assertThat(store.prices()).extracting(PriceEntry::id).containsExactlyInAnyOrder("stt", "tts", "sms");
    }

    @Test
    void aReplacementRetiresAndAddsAtOnceKeepingTiersAndSources() {
        Map<String, BigDecimal> tiered = new java.util.HashMap<>(Map.of("input_per_million", new BigDecimal("3"),
                "output_per_million", new BigDecimal("15"), "credit_multiplier", BigDecimal.ONE,
                "long_context_threshold_tokens", new BigDecimal("200000"),
                "long_context_input_per_million", new BigDecimal("6"),
                "long_context_output_per_million", new BigDecimal("22.5")));
        PriceEntry first = PriceEntry.of("imported-1", null, "anthropic", "claude-tiered", LocalDate.of(2025, 5, 22),
                null, tiered, "litellm 2026-08-01");
        PriceEntry other = PriceEntry.of("imported-2", null, "telnyx", "*", LocalDate.of(2025, 1, 1), null,
                Map.of("per_segment_outbound", new BigDecimal("0.004")), "https://telnyx.com/pricing/messaging");
        store.replacePrices(List.of(), List.of(first, other));
        tiered.put("input_per_million", new BigDecimal("3.3"));
        PriceEntry second = PriceEntry.of("imported-3", null, "anthropic", "claude-tiered", LocalDate.of(2025, 5, 22),
                null, tiered, "litellm 2026-12-01");

        store.replacePrices(List.of("imported-1"), List.of(second));

        assertThat(store.prices()).usingRecursiveFieldByFieldElementComparator(DECIMALS_BY_VALUE)
                .containsExactlyInAnyOrder(other, second);
        assertThat(store.prices()).filteredOn(entry -> entry.id().equals("imported-3")).singleElement()
                .satisfies(entry -> {
                    assertThat(entry.longContextThresholdTokens()).isEqualTo(200_000L);
                    assertThat(entry.source()).isEqualTo("litellm 2026-12-01");
                });
    }

    @Test
    void anIntegrationSecretIsReplacedPerProviderAndRemovedOnce() {
        store.putIntegrationSecret(new IntegrationSecret("acme", IntegrationProvider.VAPI, "first-secret", 1_000));
        store.putIntegrationSecret(new IntegrationSecret("acme", IntegrationProvider.TWILIO, "twilio-token", 2_000));
        store.putIntegrationSecret(new IntegrationSecret("globex", IntegrationProvider.VAPI, "globex-secret", 3_000));
        IntegrationSecret replaced = new IntegrationSecret("acme", IntegrationProvider.VAPI, "second secret ✓", 4_000);
        store.putIntegrationSecret(replaced);

        assertThat(store.integrationSecrets("acme")).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyInAnyOrder(replaced,
                        new IntegrationSecret("acme", IntegrationProvider.TWILIO, "twilio-token", 2_000));
        assertThat(store.integrationSecrets("globex")).extracting(IntegrationSecret::secret)
                .containsExactly("globex-secret");
        assertThat(store.integrationSecrets("initech")).isEmpty();

        assertThat(store.deleteIntegrationSecret("acme", IntegrationProvider.VAPI)).isTrue();
        assertThat(store.deleteIntegrationSecret("acme", IntegrationProvider.VAPI)).isFalse();
        assertThat(store.deleteIntegrationSecret("acme", IntegrationProvider.RETELL)).isFalse();
        assertThat(store.integrationSecrets("acme")).extracting(IntegrationSecret::provider)
                .containsExactly(IntegrationProvider.TWILIO);
        assertThat(store.integrationSecrets("globex")).hasSize(1);

        IntegrationSecret again = new IntegrationSecret("acme", IntegrationProvider.VAPI, "third-secret", 5_000);
        store.putIntegrationSecret(again);
        assertThat(store.integrationSecrets("acme")).usingRecursiveFieldByFieldElementComparator()
                .contains(again).hasSize(2);
    }

    @Test
    void aBudgetKeepsEveryFieldExactlyAndIsReplacedAndDeletedOnce() {
        Budget budget = new Budget("bud_1", "acme", "Ops \u00e9t\u00e9",
                new BudgetScope("agent-1", "m1", Map.of("team", "red", "env", "prod")),
                BudgetMeasure.COST_USD, BudgetPeriod.WEEK,
                ZoneId.of("America/Bahia_Banderas"), new BigDecimal("1234.000000001"),
                List.of(new BigDecimal("0.333"), BigDecimal.ONE),
                BudgetAction.BLOCK_CALLS, 1_000, 2_000);
        Budget other = new Budget("bud_2", "globex", "Credits",
                BudgetScope.everything(), BudgetMeasure.CREDITS,
                BudgetPeriod.DAY, ZoneId.of("UTC"), new BigDecimal("5"),
                List.of(), BudgetAction.ALERT, 3_000, 3_000);
        store.putBudget(budget);
        store.putBudget(other);

        assertThat(store.budget("bud_1")).contains(budget);
        assertThat(store.budgets("acme")).containsExactly(budget);
        assertThat(store.budgets(null)).containsExactly(budget, other);

        Budget changed = new Budget("bud_1", "acme", "Ops", budget.scope(),
                budget.measure(), BudgetPeriod.MONTH, budget.timezone(), new BigDecimal("2"),
                budget.thresholds(), BudgetAction.ALERT, 1_000, 4_000);
        store.putBudget(changed);
        assertThat(store.budgets("acme")).containsExactly(changed);

        assertThat(store.deleteBudget("bud_1")).isTrue();
        assertThat(store.deleteBudget("bud_1")).isFalse();
        assertThat(store.budget("bud_1")).isEmpty();
        assertThat(store.budgets(null)).containsExactly(other);
    }

    @Test
    void aTenantsLimitsAreReplacedAndRemovedOnce() {
        assertThat(store.tenantLimits("acme")).isEmpty();
        store.putTenantLimits("acme", new dev.tally.tenant.TenantLimits(10, 5, 2, 1, 3));
        store.putTenantLimits("acme", new dev.tally.tenant.TenantLimits(20, 6, 0, 4, 0));
        assertThat(store.tenantLimits("acme")).contains(new dev.tally.tenant.TenantLimits(20, 6, 0, 4, 0));
        assertThat(store.tenantLimits("globex")).isEmpty();
        assertThat(store.deleteTenantLimits("acme")).isTrue();
        assertThat(store.deleteTenantLimits("acme")).isFalse();
        assertThat(store.tenantLimits("acme")).isEmpty();
    }

    @Test
    void anErasureKeepsEveryFieldAndAStateChangeReplacesIt() {
        dev.tally.tenant.Erasure running = new dev.tally.tenant.Erasure("era_1", "acme",
                dev.tally.tenant.ErasureSubject.PHONE_NUMBER, "erased-0123456789abcdef0123", "admin", "DSR-1", 1_000L,
                dev.tally.tenant.ErasureState.RUNNING, null, Map.of(), null);
        store.putErasure(running);
        store.putErasure(new dev.tally.tenant.Erasure("era_2", "globex", dev.tally.tenant.ErasureSubject.CALL_ID,
                "erased-ffffffffffffffffffff", "admin", null, 2_000L, dev.tally.tenant.ErasureState.FAILED, 2_500L,
                Map.of(), "nothing was erased"));
        assertThat(store.erasure("era_1")).contains(running);
        dev.tally.tenant.Erasure done = running.done(1_500L, Map.of("events", 3L, "calls", 1L));
        store.putErasure(done);
        assertThat(store.erasure("era_1")).contains(done);
        assertThat(store.erasures(null)).extracting(dev.tally.tenant.Erasure::id).containsExactly("era_1", "era_2");
        assertThat(store.erasures("globex")).extracting(dev.tally.tenant.Erasure::failure)
                .containsExactly("nothing was erased");
        assertThat(store.erasure("era_3")).isEmpty();
    }

    @Test
    void aTenantsPseudonymKeyIsMadeOnceAndKept() {
        String key = store.pseudonymKey("acme");
        assertThat(key).matches("[0-9a-f]{64}");
        assertThat(store.pseudonymKey("acme")).isEqualTo(key);
        assertThat(store.pseudonymKey("globex")).isNotEqualTo(key);
    }

    @Test
    void aWebhookKeepsEveryFieldAndIsDeletedOnce() {
        Webhook everyTenant = new Webhook("wh_1", null, "https://hooks.example.com/tally?x=1",
                Set.of(WebhookEvent.EXHAUSTED, WebhookEvent.RESET), "whsec_c2VjcmV0", 1_000);
        Webhook acme = new Webhook("wh_2", "acme", "http://127.0.0.1:9/in", Set.of(WebhookEvent.THRESHOLD_CROSSED),
                "whsec_b3RoZXI=", 2_000);
        store.putWebhook(everyTenant);
        store.putWebhook(acme);

        assertThat(store.webhook("wh_1")).contains(everyTenant);
        assertThat(store.webhooks()).containsExactly(everyTenant, acme);
        assertThat(store.deleteWebhook("wh_1")).isTrue();
        assertThat(store.deleteWebhook("wh_1")).isFalse();
        assertThat(store.webhook("wh_1")).isEmpty();
        assertThat(store.webhooks()).containsExactly(acme);
    }

    private static WebhookNotification notification(String threshold, long periodStartMs) {
        return new WebhookNotification(WebhookNotification.key("bud_1", periodStartMs, threshold), "bud_1", "acme",
                periodStartMs, threshold == null ? WebhookEvent.RESET : WebhookEvent.THRESHOLD_CROSSED, threshold,
                periodStartMs + 10);
    }

    @Test
    void aNotificationIsDecidedOnceWithItsDeliveriesAndNeverRemoved() {
        WebhookNotification half = notification("0.5", 1_000);
        WebhookDelivery toOne = WebhookDelivery.due("msg_a", "wh_1", half, "{\"type\":\"budget.threshold_crossed\"}");
        WebhookDelivery toTwo = WebhookDelivery.due("msg_b", "wh_2", half, "{\"type\":\"budget.threshold_crossed\"}");
        assertThat(store.recordNotification(half, List.of(toOne, toTwo))).isTrue();
        WebhookDelivery again = WebhookDelivery.due("msg_c", "wh_1", half, "{}");
        assertThat(store.recordNotification(half, List.of(again))).as("decided already").isFalse();
        WebhookNotification reset = notification(null, 5_000);
        assertThat(store.recordNotification(reset, List.of())).isTrue();

        assertThat(store.notifications("bud_1", 0)).containsExactly(half, reset);
        assertThat(store.notifications("bud_1", 5_000)).containsExactly(reset);
        assertThat(store.notifications("bud_2", 0)).isEmpty();
        assertThat(store.delivery("msg_a")).contains(toOne);
        assertThat(store.delivery("msg_c")).as("the second decision kept nothing").isEmpty();
        assertThat(store.deliveries("wh_1", 10)).containsExactly(toOne);
        assertThat(store.dueDeliveries(1_009, 10)).as("not yet due").isEmpty();
        assertThat(store.dueDeliveries(1_010, 10)).containsExactlyInAnyOrder(toOne, toTwo);
    }

    @Test
    void eachAttemptIsRecordedAndASucceededDeliveryIsNoLongerDue() {
        WebhookNotification half = notification("0.5", 1_000);
        WebhookDelivery delivery = WebhookDelivery.due("msg_a", "wh_1", half, "{}");
        store.recordNotification(half, List.of(delivery));

        assertThat(store.claimAttempts(List.of(delivery))).containsExactly(delivery);
        WebhookDelivery failed = delivery.attempted(2_000, DeliveryState.PENDING, 7_000L);
        WebhookAttempt timeout = new WebhookAttempt("msg_a", 1, 2_000, null, "no answer within 10000 ms", 10_000,
                7_000L);
        store.updateDelivery(failed, timeout);
        assertThat(store.delivery("msg_a")).contains(failed);
        assertThat(store.dueDeliveries(6_999, 10)).isEmpty();
        assertThat(store.dueDeliveries(7_000, 10)).containsExactly(failed);

        assertThat(store.claimAttempts(List.of(failed))).containsExactly(failed);
        WebhookDelivery succeeded = failed.attempted(7_100, DeliveryState.SUCCEEDED, null);
        WebhookAttempt answered = new WebhookAttempt("msg_a", 2, 7_100, 204, null, 35, null);
        store.updateDelivery(succeeded, answered);

        assertThat(store.delivery("msg_a")).contains(succeeded);
        assertThat(succeeded.firstAttemptMs()).isEqualTo(2_000);
        assertThat(store.attempts("msg_a")).containsExactly(timeout, answered);
        assertThat(store.dueDeliveries(Long.MAX_VALUE, 10)).isEmpty();

        WebhookDelivery retried = succeeded.dueAgain(9_000);
        store.updateDelivery(retried, null);
        assertThat(store.dueDeliveries(9_000, 10)).containsExactly(retried);
        assertThat(store.attempts("msg_a")).as("a retry asked for is no attempt").hasSize(2);
    }

    @Test
    void twoDecidingAtOnceDecideOneNotificationAndOneSenderPerAttempt() throws Exception {
        WebhookNotification exhausted = notification("1", 1_000);
        WebhookDelivery delivery = WebhookDelivery.due("msg_x", "wh_1", exhausted, "{}");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> decided = pool.invokeAll(List.<Callable<Boolean>>of(
                    () -> store.recordNotification(exhausted, List.of(delivery)),
                    () -> store.recordNotification(exhausted, List.of(delivery))));
            assertThat(List.of(decided.get(0).get(), decided.get(1).get())).containsExactlyInAnyOrder(true, false);
            assertThat(store.deliveries("wh_1", 10)).containsExactly(delivery);

            List<Future<List<WebhookDelivery>>> claimed = pool.invokeAll(List.<Callable<List<WebhookDelivery>>>of(
                    () -> store.claimAttempts(List.of(delivery)), () -> store.claimAttempts(List.of(delivery))));
            int senders = claimed.get(0).get().size() + claimed.get(1).get().size();
            // one process owns a DuckDB file and sends from one thread; instances sharing a store claim each attempt
            assertThat(senders).isEqualTo(sharedByInstances() ? 1 : 2);
        } finally {
            pool.shutdownNow();
        }
    }
}
