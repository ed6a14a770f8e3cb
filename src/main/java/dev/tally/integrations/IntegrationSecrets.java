package dev.tally.integrations;

import dev.tally.access.TenantService;
import dev.tally.error.Rejection;
import dev.tally.store.ExpiringCache;
import dev.tally.store.MetadataStore;
import dev.tally.tenant.IntegrationProvider;
import dev.tally.tenant.IntegrationSecret;
import dev.tally.text.UnicodeText;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Tenants' webhook secrets: set, listed and removed by the operator, read by the receivers on every
 * webhook. Cached per tenant for a few seconds ({@link ExpiringCache}), refreshed at once by a change
 * made through this instance; a change made through another instance sharing the store is seen
 * within the cache's age.
 */
public final class IntegrationSecrets {
    /** Far above any provider's key or token, far below the body limit. */
    static final int MAX_SECRET_CHARACTERS = 1_024;

    private final MetadataStore store;
    private final TenantService tenants;
    private final Clock clock;
    private final ExpiringCache<String, List<IntegrationSecret>> byTenant =
            new ExpiringCache<>(ExpiringCache.DEFAULT_MAX_AGE);

    public IntegrationSecrets(MetadataStore store, TenantService tenants, Clock clock) {
        this.store = store;
        this.tenants = tenants;
        this.clock = clock;
    }

    /** The provider of that wire name, or a rejection naming the path's {@code provider}. */
    public static IntegrationProvider provider(String name) {
        return IntegrationProvider.fromWire(name).orElseThrow(() -> Rejection.invalid("provider",
                "must be one of " + Arrays.stream(IntegrationProvider.values()).map(IntegrationProvider::wireName)
                        .collect(Collectors.joining(", "))));
    }

    public IntegrationSecret set(String tenantId, IntegrationProvider provider, String secret) {
        tenants.require(tenantId);
        if (secret == null || secret.isBlank()) {
            throw Rejection.invalid("secret", "is required");
        }
        if (secret.length() > MAX_SECRET_CHARACTERS) {
            throw Rejection.invalid("secret", "must be at most " + MAX_SECRET_CHARACTERS + " characters");
        }
        String problem = UnicodeText.problem(secret, true);
        if (problem != null) {
            throw Rejection.invalid("secret", problem);
        }
        IntegrationSecret stored = new IntegrationSecret(tenantId, provider, secret, clock.millis());
        store.putIntegrationSecret(stored);
        refresh(tenantId);
        return stored;
    }

    public List<IntegrationSecret> list(String tenantId) {
        tenants.require(tenantId);
        return store.integrationSecrets(tenantId);
    }

    /** Returns false when the tenant had no secret for the provider. */
    public boolean remove(String tenantId, IntegrationProvider provider) {
        tenants.require(tenantId);
        boolean removed = store.deleteIntegrationSecret(tenantId, provider);
        refresh(tenantId);
        return removed;
    }

    /** The secret a receiver checks a webhook with; empty for an unknown tenant or one without that secret. */
    public Optional<String> secretOf(String tenantId, IntegrationProvider provider) {
        if (tenants.find(tenantId).isEmpty()) {
            // only known tenants are cached: a webhook to a made-up tenant id adds nothing to the cache
            return Optional.empty();
        }
        return byTenant.get(tenantId, id -> Optional.of(store.integrationSecrets(id))).orElseThrow().stream()
                .filter(secret -> secret.provider() == provider).map(IntegrationSecret::secret).findFirst();
    }

    private void refresh(String tenantId) {
        byTenant.put(tenantId, store.integrationSecrets(tenantId));
    }

    /** Drops the tenant's secrets from this instance's cache: the tenant was deleted with them. */
    public void forget(String tenantId) {
        byTenant.invalidateWhere(secrets -> secrets.stream().anyMatch(secret -> secret.tenantId().equals(tenantId)));
    }
}
