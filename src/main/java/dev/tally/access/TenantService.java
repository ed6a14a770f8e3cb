package dev.tally.access;

import dev.tally.error.Rejection;
import dev.tally.store.ExpiringCache;
import dev.tally.store.MetadataStore;
import dev.tally.tenant.Tenant;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Tenants, cached for a few seconds ({@link ExpiringCache}): ingest asks for one per event of a platform key's batch. */
public final class TenantService {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final MetadataStore store;
    private final Clock clock;
    private final ExpiringCache<String, Tenant> cache = new ExpiringCache<>(ExpiringCache.DEFAULT_MAX_AGE);

    public TenantService(MetadataStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        store.tenants().forEach(tenant -> cache.put(tenant.id(), tenant));
    }

    public Tenant create(String id, String name) {
        if (id == null || !ID.matcher(id).matches()) {
            throw Rejection.invalid("id", "must be 1–128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (name == null || name.isBlank()) {
            throw Rejection.invalid("name", "is required");
        }
        Tenant tenant = Tenant.named(id, name, clock.millis());
        if (!store.createTenant(tenant)) {
            throw Rejection.conflict("id", "tenant " + id + " exists already");
        }
        cache.put(id, tenant);
        return tenant;
    }

    public Tenant update(Tenant tenant) {
        store.updateTenant(tenant);
        cache.put(tenant.id(), tenant);
        return tenant;
    }

    /** A miss asks the store: with a shared store (ClickHouse) another instance may have created the tenant. */
    public Optional<Tenant> find(String id) {
        return id == null ? Optional.empty() : cache.get(id, store::tenant);
    }

    public Tenant require(String id) {
        return find(id).orElseThrow(() -> Rejection.notFound("tenant_id", "no tenant " + id));
    }

    public List<Tenant> list() {
        return store.tenants();
    }

    /** Drops the tenant from this instance's cache: it was deleted. */
    public void forget(String id) {
        cache.invalidateWhere(tenant -> tenant.id().equals(id));
    }
}
