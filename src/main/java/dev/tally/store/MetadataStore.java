package dev.tally.store;

import dev.tally.auth.ApiKey;
import dev.tally.pricing.PriceEntry;
import dev.tally.tenant.Budget;
import dev.tally.tenant.IntegrationProvider;
import dev.tally.tenant.IntegrationSecret;
import dev.tally.tenant.Tenant;
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
}
