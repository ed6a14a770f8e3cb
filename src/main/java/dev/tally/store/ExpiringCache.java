package dev.tally.store;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A read-through cache whose entries are reloaded once they are older than a few seconds.
 *
 * <p>Tenants, keys and prices are read on every request but change rarely; several Tally
 * instances may share one store (ClickHouse), so a change made through one instance (a revoked
 * key, a new price) must reach the others without a restart. A short age bound does that at the
 * cost of one small store read per entry every few seconds. Ages use the monotonic clock, not
 * the business clock, so tests with a fixed clock still see changes.
 */
public final class ExpiringCache<K, V> {
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(5);

    private record Entry<V>(V value, long loadedNanos) {
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final long maxAgeNanos;

    public ExpiringCache(Duration maxAge) {
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** The cached value, or the loader's answer (cached when present) if there is none or it is too old. */
    public Optional<V> get(K key, Function<K, Optional<V>> loader) {
        Entry<V> entry = entries.get(key);
        if (entry != null && System.nanoTime() - entry.loadedNanos < maxAgeNanos) {
            return Optional.of(entry.value);
        }
        Optional<V> loaded = loader.apply(key);
        if (loaded.isPresent()) {
            put(key, loaded.get());
        } else {
            entries.remove(key);
        }
        return loaded;
    }

    public void put(K key, V value) {
        entries.put(key, new Entry<>(value, System.nanoTime()));
    }

    public void invalidateWhere(java.util.function.Predicate<V> condition) {
        entries.values().removeIf(entry -> condition.test(entry.value));
    }
}
