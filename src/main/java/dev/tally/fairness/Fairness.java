package dev.tally.fairness;

import dev.tally.access.RequestAuth;
import dev.tally.auth.Principal;
import dev.tally.http.ApiError;
import dev.tally.store.ExpiringCache;
import dev.tally.store.MetadataStore;
import dev.tally.tenant.TenantLimits;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * Limits each tenant's ingest and reports apart, before the route runs: past its rate or its
 * requests in flight a request is answered 429 (when it may be retried: {@link RefusalHold}), with {@code Retry-After} and the IETF
 * {@code RateLimit-Policy} / {@code RateLimit} headers, so one tenant's flood cannot hold the
 * threads and cores another tenant's requests need. The tenant is the key's (never the body's);
 * a receiver's is the one its path names, which its signature then proves.
 */
public final class Fairness implements AutoCloseable {
    private static final String RELEASE = "tally.fairness.release";

    private final RequestAuth auth;
    private final MetadataStore metadata;
    private final Limiter limiter = new Limiter();
    private final RefusalHold hold;
    /** Reports take turns by tenant; two a core keep the cores busy while some wait on the store. */
    private final FairShare reports = new FairShare(2 * Runtime.getRuntime().availableProcessors());
    /** Every tenant's limits in force, its own or the defaults, read again after a few seconds. */
    private final ExpiringCache<String, TenantLimits> inForce = new ExpiringCache<>(ExpiringCache.DEFAULT_MAX_AGE);

    public Fairness(RequestAuth auth, MetadataStore metadata) {
        this.auth = auth;
        this.metadata = metadata;
        this.hold = new RefusalHold(RefusalHold.LONGEST_MILLIS);
    }

    public void install(Javalin app) {
        app.before(this::admit);
        app.after(context -> {
            Runnable release = context.attribute(RELEASE);
            if (release != null) {
                context.attribute(RELEASE, null);
                release.run();
            }
        });
    }

    /** The limits in force for a tenant: its own when set, else the defaults. */
    public TenantLimits limitsOf(String tenantId) {
        return inForce.get(tenantId, tenant -> Optional.of(metadata.tenantLimits(tenant).orElse(TenantLimits.DEFAULTS)))
                .orElseThrow();
    }

    /** The tenant's limits changed: this instance applies them at once (others within seconds). */
    void changed(String tenantId, TenantLimits limits) {
        inForce.put(tenantId, limits);
    }

    private void admit(Context context) {
        Optional<RequestClass> kind = RequestClass.of(context.method().name(), context.path());
        if (kind.isEmpty()) {
            return;
        }
        String tenant;
        String key = null;
        Optional<String> receiverTenant = receiverTenant(context.path());
        if (receiverTenant.isPresent()) {
            tenant = receiverTenant.get();
        } else {
            Optional<Principal> principal = auth.peek(context);
            if (principal.isEmpty()) {
                return; // the route answers 401
            }
            key = principal.get().key().id();
            // a platform key writes for many tenants: it is limited as a tenant of its own
            tenant = principal.get().tenantId() == null ? "platform-key:" + key : principal.get().tenantId();
        }
        TenantLimits limits = tenant.startsWith("platform-key:") ? TenantLimits.DEFAULTS : limitsOf(tenant);
        Limiter.Decision decision = limiter.acquire(tenant, key, kind.get(), limits);
        context.header("RateLimit-Policy", "\"" + decision.limit() + "\";q=" + decision.quota() + ";w=1");
        if (!decision.allowed()) {
            context.header("RateLimit", "\"" + decision.limit() + "\";r=0;t=" + decision.retryAfterSeconds());
            context.header("Retry-After", Long.toString(decision.retryAfterSeconds()));
            hold.refuse(context, new ApiError(429, "rate_limited", null, "the tenant's " + decision.limit()
                    + " limit (" + decision.quota() + (decision.limit().endsWith("in-flight") ? " requests at once"
                    : " per second") + ") is reached; retry after " + decision.retryAfterSeconds() + " s"),
                    decision.retryAfterSeconds());
            return;
        }
        if (decision.remaining() != Long.MAX_VALUE) {
            context.header("RateLimit", "\"" + decision.limit() + "\";r=" + decision.remaining() + ";t=1");
        }
        Runnable release = decision.release();
        if (kind.get() == RequestClass.REPORTS && !context.path().startsWith("/v1/exports/")) {
            // an export streams for as long as its range takes: it keeps no place from the others' reports
            try {
                Runnable leave = reports.enter(tenant);
                Runnable inFlight = release;
                release = () -> {
                    leave.run();
                    inFlight.run();
                };
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                release.run();
                throw new ApiError(503, "unavailable", null, "the server is stopping");
            }
        }
        context.attribute(RELEASE, release);
    }

    /** {@code /v1/integrations/<provider>/<tenant_id>[/…]}: the tenant a receiver's path names. */
    private static Optional<String> receiverTenant(String path) {
        if (!path.startsWith("/v1/integrations/")) {
            return Optional.empty();
        }
        String[] segments = path.split("/");
        return segments.length > 4 && !segments[4].isEmpty() ? Optional.of(segments[4]) : Optional.empty();
    }

    @Override
    public void close() {
        hold.close();
    }
}
