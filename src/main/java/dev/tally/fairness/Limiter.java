package dev.tally.fairness;

import dev.tally.tenant.TenantLimits;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The limits of this instance: a token bucket per tenant and kind of request, one per key and kind
 * when keys are limited, and a count of requests in flight per tenant and kind. A bucket is keyed
 * by its rate too, so a changed limit takes effect with a fresh bucket.
 */
final class Limiter {
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, Semaphore> inFlight = new ConcurrentHashMap<>();

    /** What the limits said of one request; {@code release} frees its place in flight once answered. */
    record Decision(boolean allowed, String limit, int quota, long remaining, long retryAfterSeconds, Runnable release) {
    }

    Decision acquire(String tenant, String key, RequestClass kind, TenantLimits limits) {
        int perSecond = perSecond(limits, kind);
        ConsumptionProbe tenantProbe = perSecond > 0 ? bucket(tenant + "\n" + kind + "\n" + perSecond, perSecond)
                .tryConsumeAndReturnRemaining(1) : null;
        if (tenantProbe != null && !tenantProbe.isConsumed()) {
            return refused(kind.wireName(), perSecond, tenantProbe);
        }
        int keyRate = limits.keyPerSecond();
        if (keyRate > 0 && key != null) {
            ConsumptionProbe keyProbe = bucket("key\n" + key + "\n" + kind + "\n" + keyRate, keyRate)
                    .tryConsumeAndReturnRemaining(1);
            if (!keyProbe.isConsumed()) {
                return refused(kind.wireName() + "-per-key", keyRate, keyProbe);
            }
        }
        int places = inFlight(limits, kind);
        Runnable release = () -> { };
        if (places > 0) {
            Semaphore semaphore = inFlight.computeIfAbsent(tenant + "\n" + kind + "\n" + places,
                    ignored -> new Semaphore(places));
            if (!semaphore.tryAcquire()) {
                return new Decision(false, kind.wireName() + "-in-flight", places, 0, 1, () -> { });
            }
            release = semaphore::release;
        }
        long remaining = tenantProbe == null ? Long.MAX_VALUE : tenantProbe.getRemainingTokens();
        return new Decision(true, kind.wireName(), perSecond, remaining, 0, release);
    }

    private Bucket bucket(String name, int perSecond) {
        return buckets.computeIfAbsent(name, ignored -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
                .build());
    }

    private static Decision refused(String limit, int quota, ConsumptionProbe probe) {
        long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        return new Decision(false, limit, quota, 0, seconds, () -> { });
    }

    private static int perSecond(TenantLimits limits, RequestClass kind) {
        return switch (kind) {
            case INGEST -> limits.ingestPerSecond();
            case REPORTS -> limits.reportsPerSecond();
        };
    }

    private static int inFlight(TenantLimits limits, RequestClass kind) {
        return switch (kind) {
            case INGEST -> limits.ingestInFlight();
            case REPORTS -> limits.reportsInFlight();
        };
    }
}
