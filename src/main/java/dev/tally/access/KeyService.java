package dev.tally.access;

import dev.tally.auth.ApiKey;
import dev.tally.auth.KeySecrets;
import dev.tally.auth.Scope;
import dev.tally.error.Rejection;
import dev.tally.store.ExpiringCache;
import dev.tally.store.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Issues, lists, revokes and checks API keys. Checked keys are cached by hash for a few seconds
 * because every request needs one and keys change rarely; revoking through this instance drops the
 * cached entry at once, a revocation through another instance sharing the store is seen within the
 * cache's age, and expiry is checked on every request against the clock.
 */
public final class KeyService {
    public static final int MIN_EXPIRY_DAYS = 1;
    public static final int MAX_EXPIRY_DAYS = 365;

    private final MetadataStore store;
    private final TenantService tenants;
    private final Clock clock;
    private final ExpiringCache<String, ApiKey> byHash = new ExpiringCache<>(ExpiringCache.DEFAULT_MAX_AGE);

    public KeyService(MetadataStore store, TenantService tenants, Clock clock) {
        this.store = store;
        this.tenants = tenants;
        this.clock = clock;
    }

    /** A key and its secret, which exists only in this value: it is never stored. */
    public record CreatedKey(ApiKey key, String secret) {
    }

    public CreatedKey create(String tenantId, String name, Set<Scope> scopes, int expiresInDays, String memberId) {
        return createWithSecret(KeySecrets.newSecret(), tenantId, name, scopes, expiresInDays, memberId);
    }

    /** Issues a key with a given secret; only the demo uses this, so its README lines can name the key. */
    public CreatedKey createWithSecret(String secret, String tenantId, String name, Set<Scope> scopes,
                                       int expiresInDays, String memberId) {
        if (name == null || name.isBlank()) {
            throw Rejection.invalid("name", "is required");
        }
        if (scopes.isEmpty()) {
            throw Rejection.invalid("scopes", "must name at least one scope");
        }
        if (expiresInDays < MIN_EXPIRY_DAYS || expiresInDays > MAX_EXPIRY_DAYS) {
            throw Rejection.invalid("expires_in_days", "must be between 1 and 365");
        }
        if (tenantId == null && !scopes.contains(Scope.SUPER_ADMIN) && !scopes.contains(Scope.EVENTS_WRITE)) {
            throw Rejection.invalid("tenant_id", "is required unless the key is a platform key"
                    + " (scope super-admin or events:write)");
        }
        if (tenantId != null && scopes.contains(Scope.SUPER_ADMIN)) {
            throw Rejection.invalid("scopes", "super-admin belongs to platform keys: omit tenant_id");
        }
        if (tenantId != null && tenants.find(tenantId).isEmpty()) {
            throw Rejection.invalid("tenant_id", "no tenant " + tenantId);
        }
        long now = clock.millis();
        ApiKey key = new ApiKey(KeySecrets.newId("key_"), tenantId, name, Set.copyOf(EnumSet.copyOf(scopes)),
                KeySecrets.hash(secret), secret.substring(0, Math.min(12, secret.length())), memberId, now,
                now + Duration.ofDays(expiresInDays).toMillis(), null);
        store.insertKey(key);
        return new CreatedKey(key, secret);
    }

    /** The live key with that secret, if any: unknown, revoked and expired keys are all absent. */
    public Optional<ApiKey> authenticate(String secret) {
        return byHash.get(KeySecrets.hash(secret), store::keyByHash).filter(key -> key.isUsableAt(clock.millis()));
    }

    public List<ApiKey> list(String tenantId) {
        return store.keys().stream().filter(key -> tenantId == null || tenantId.equals(key.tenantId())).toList();
    }

    public boolean revoke(String id) {
        boolean revoked = store.revokeKey(id, clock.millis());
        byHash.invalidateWhere(key -> key.id().equals(id));
        return revoked;
    }

    /** Drops the tenant's keys from this instance's cache: the tenant was deleted with them. */
    public void forgetTenant(String tenantId) {
        byHash.invalidateWhere(key -> tenantId.equals(key.tenantId()));
    }
}
