package dev.tally.prices;

import dev.tally.auth.KeySecrets;
import dev.tally.error.Rejection;
import dev.tally.event.Event;
import dev.tally.pricing.PriceBook;
import dev.tally.pricing.PriceEntry;
import dev.tally.pricing.Pricer;
import dev.tally.pricing.catalog.DefaultPrices;
import dev.tally.store.ExpiringCache;
import dev.tally.store.MetadataStore;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The price book in force: the bundled defaults plus what operators added (tenant overrides, new
 * models, new prices from a date). Ingest prices every event with the current snapshot, so a
 * change applies to events ingested afterwards and never to stored ones: their cost was fixed
 * when they were stored.
 */
public final class PriceService {
    private final MetadataStore store;
    private volatile PriceBook book;
    /** When the book was last read from the store; other instances sharing the store may change it. */
    private volatile long loadedNanos;

    public PriceService(MetadataStore store) {
        this.store = store;
        reload();
    }

    private void reload() {
        book = build(store.prices());
        loadedNanos = System.nanoTime();
    }

    /** The book, re-read from the store once it is older than {@link ExpiringCache#DEFAULT_MAX_AGE}. */
    private PriceBook current() {
        if (System.nanoTime() - loadedNanos > ExpiringCache.DEFAULT_MAX_AGE.toNanos()) {
            synchronized (this) {
                if (System.nanoTime() - loadedNanos > ExpiringCache.DEFAULT_MAX_AGE.toNanos()) {
                    reload();
                }
            }
        }
        return book;
    }

    /** A stored platform entry replaces the bundled default of the same key: that is how an import corrects one. */
    private static PriceBook build(List<PriceEntry> stored) {
        Map<PriceEntry.Key, PriceEntry> byKey = new LinkedHashMap<>();
        for (PriceEntry entry : DefaultPrices.book().entries()) {
            byKey.put(entry.key(), entry);
        }
        List<PriceEntry> entries = new ArrayList<>();
        for (PriceEntry entry : stored) {
            byKey.remove(entry.key());
            entries.add(entry);
        }
        entries.addAll(byKey.values());
        return new PriceBook(entries);
    }

    public void price(Event event) {
        Pricer.price(event, current());
    }

    public PriceBook book() {
        return current();
    }

    /** Entries visible to a tenant (its overrides and the platform's), or all of them for {@code null}. */
    public List<PriceEntry> list(String tenantId) {
        return current().entries().stream()
                .filter(entry -> tenantId == null || entry.tenantId() == null || tenantId.equals(entry.tenantId()))
                .toList();
    }

    public synchronized PriceEntry add(PriceEntry entry) {
        PriceEntry stored = entry.withId(KeySecrets.newId("price_"));
        for (PriceEntry existing : book.entries()) {
            if (existing.conflictsWith(stored)) {
                throw Rejection.conflict("effective_from", "an entry for " + stored.provider() + "/" + stored.model()
                        + (stored.prefix() == null ? "" : " " + stored.prefix()) + " from " + stored.effectiveFrom()
                        + " exists (" + existing.id() + "); choose another date or delete that entry");
            }
        }
        store.insertPrice(stored);
        reload();
        return stored;
    }

    /**
     * Brings a catalog's platform entries into the book: an entry whose key (provider, model, unit,
     * prefix, date) is not in force is added, one in force with other rates replaces it (a stored
     * entry is retired; a bundled default is superseded, and comes back if the new entry is
     * deleted), one with the same rates is left alone. With {@code dryRun} nothing is stored.
     */
    public synchronized PriceImportPlan importEntries(List<PriceEntry> incoming, boolean dryRun) {
        Map<PriceEntry.Key, PriceEntry> inForce = new HashMap<>();
        for (PriceEntry entry : current().entries()) {
            inForce.put(entry.key(), entry);
        }
        List<PriceEntry> added = new ArrayList<>();
        List<PriceImportPlan.Change> changed = new ArrayList<>();
        int unchanged = 0;
        for (PriceEntry entry : incoming) {
            if (entry.tenantId() != null) {
                throw new IllegalArgumentException("an import holds platform entries only, not " + entry.id());
            }
            PriceEntry before = inForce.get(entry.key());
            PriceEntry stored = entry.withId(KeySecrets.newId("price_"));
            if (before == null) {
                added.add(stored);
            } else if (sameRates(before, entry)) {
                unchanged++;
            } else {
                changed.add(new PriceImportPlan.Change(before, stored));
            }
        }
        PriceImportPlan plan = new PriceImportPlan(added, changed, unchanged);
        if (!dryRun && (!added.isEmpty() || !changed.isEmpty())) {
            List<String> retired = changed.stream().map(change -> change.before().id())
                    .filter(id -> !DefaultPrices.isDefault(id)).toList();
            List<PriceEntry> stored = new ArrayList<>(added);
            changed.forEach(change -> stored.add(change.after()));
            store.replacePrices(retired, stored);
            reload();
        }
        return plan;
    }

    /** Rates compared as numbers: a store may give 2.500000 for the 2.5 a catalog wrote. */
    private static boolean sameRates(PriceEntry left, PriceEntry right) {
        Map<String, BigDecimal> leftRates = left.rates();
        Map<String, BigDecimal> rightRates = right.rates();
        for (String rate : PriceEntry.rateNames()) {
            BigDecimal one = leftRates.get(rate);
            BigDecimal other = rightRates.get(rate);
            if (one == null ? other != null : other == null || one.compareTo(other) != 0) {
                return false;
            }
        }
        return true;
    }

    public synchronized boolean delete(String id) {
        if (DefaultPrices.isDefault(id)) {
            throw Rejection.invalid("id", "is a bundled default; add an entry with a later effective_from instead");
        }
        boolean deleted = store.deletePrice(id);
        reload();
        return deleted;
    }
}
