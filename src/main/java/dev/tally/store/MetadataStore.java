package dev.tally.store;

import dev.tally.auth.ApiKey;
import dev.tally.pricing.PriceEntry;
import dev.tally.tenant.Budget;
import dev.tally.tenant.IntegrationProvider;
import dev.tally.tenant.IntegrationSecret;
import dev.tally.tenant.Tenant;
import dev.tally.tenant.Webhook;
import dev.tally.tenant.WebhookAttempt;
import dev.tally.tenant.WebhookDelivery;
import dev.tally.tenant.WebhookNotification;
import java.util.List;
import java.util.Optional;

/**
 * Tenants and keys: small, rarely written, read on every request (through caches). Kept apart
 * from {@link EventStore} because an events engine built for appends (ClickHouse) is a poor home
 * for rows that are updated and revoked.
 */
public interface MetadataStore {

    /** Returns false when a tenant with that id exists already. */
    boolean createTenant(Tenant tenant);

    void updateTenant(Tenant tenant);

    Optional<Tenant> tenant(String id);

    List<Tenant> tenants();

    void insertKey(ApiKey key);

    Optional<ApiKey> keyByHash(String secretHash);

    List<ApiKey> keys();

    /** Returns false when no live key has that id. */
    boolean revokeKey(String id, long revokedMs);

    /** Price entries added by operators: tenant overrides and platform entries beside the bundled defaults. */
    List<PriceEntry> prices();

    void insertPrice(PriceEntry entry);

    /** Returns false when no stored entry has that id. */
    boolean deletePrice(String id);

    /**
     * Retires the stored entries with these ids and stores the added ones: what an import of a
     * catalog changes, at once where the store has transactions, else retirements first, so that a
     * failure part way leaves an entry missing (the bundled default prices again) rather than two.
     */
    void replacePrices(List<String> retiredIds, List<PriceEntry> added);

    /** Sets the tenant's secret for the provider, replacing the one set before. */
    void putIntegrationSecret(IntegrationSecret secret);

    /** The tenant's secrets, one per provider that has one. */
    List<IntegrationSecret> integrationSecrets(String tenantId);

    /** Returns false when the tenant has no secret for that provider. */
    boolean deleteIntegrationSecret(String tenantId, IntegrationProvider provider);

    /** Stores a new budget or replaces the stored one of the same id. */
    void putBudget(Budget budget);

    Optional<Budget> budget(String id);

    /** The tenant's budgets (null: every tenant's), by tenant and creation. */
    List<Budget> budgets(String tenantId);

    /** Returns false when no budget has that id. */
    boolean deleteBudget(String id);

    /** The tenant's own limits, when it has some; the defaults apply otherwise. */
    java.util.Optional<dev.tally.tenant.TenantLimits> tenantLimits(String tenantId);

    void putTenantLimits(String tenantId, dev.tally.tenant.TenantLimits limits);

    /** Returns false when the tenant had no limits of its own. */
    boolean deleteTenantLimits(String tenantId);

    /** Stores a new erasure job or replaces the stored one of the same id. */
    void putErasure(dev.tally.tenant.Erasure erasure);

    java.util.Optional<dev.tally.tenant.Erasure> erasure(String id);

    /** The tenant's erasures (null: every tenant's), oldest first: the audit log. */
    List<dev.tally.tenant.Erasure> erasures(String tenantId);

    /** The tenant's secret key for pseudonyms, made at the first call and the same ever after. */
    String pseudonymKey(String tenantId);

    void putWebhook(Webhook webhook);

    Optional<Webhook> webhook(String id);

    /** Every webhook, by creation. */
    List<Webhook> webhooks();

    /** Returns false when no webhook has that id. Its deliveries stay, as a record. */
    boolean deleteWebhook(String id);

    /**
     * Keeps the notification and its deliveries, before any is attempted, unless it was decided
     * already, here, before a restart or by another instance: then keeps nothing and returns false.
     * Notifications are never removed, so spending that falls again does not decide one twice.
     */
    boolean recordNotification(WebhookNotification notification, List<WebhookDelivery> deliveries);

    /** The budget's notifications of the periods starting at or after {@code fromPeriodStartMs}. */
    List<WebhookNotification> notifications(String budgetId, long fromPeriodStartMs);

    /** Pending deliveries due at {@code nowMs}, the longest due first. */
    List<WebhookDelivery> dueDeliveries(long nowMs, int limit);

    /** The webhook's deliveries, newest first. */
    List<WebhookDelivery> deliveries(String webhookId, int limit);

    Optional<WebhookDelivery> delivery(String id);

    /**
     * Claims the next attempt (number {@code attempts + 1}) of each delivery for this instance and
     * returns those it won: another instance that claimed one first sends it, so it goes out once.
     */
    List<WebhookDelivery> claimAttempts(List<WebhookDelivery> due);

    /** Stores the delivery's new state, and the attempt that led to it (null: none, a retry asked for). */
    void updateDelivery(WebhookDelivery delivery, WebhookAttempt attempt);

    /** The delivery's attempts, first first. */
    List<WebhookAttempt> attempts(String deliveryId);
}
