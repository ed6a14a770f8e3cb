package dev.tally.prices;

import dev.tally.auth.KeySecrets;
import dev.tally.error.Rejection;
import dev.tally.event.Event;
import dev.tally.pricing.PriceBook;
import dev.tally.pricing.PriceEntry;
import dev.tally.pricing.Pricer;
import dev.tally.store.ExpiringCache;
import dev.tally.store.MetadataStore;
import java.util.ArrayList;
import java.util.List;

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

    private static PriceBook build(List<PriceEntry> stored) {
        List<PriceEntry> entries = new ArrayList<>(PriceBook.defaults().entries());
        entries.addAll(stored);
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

    public synchronized boolean delete(String id) {
        boolean isDefault = PriceBook.defaults().entries().stream().anyMatch(entry -> entry.id().equals(id));
        if (isDefault) {
            throw Rejection.invalid("id", "is a bundled default; add an entry with a later effective_from instead");
        }
        boolean deleted = store.deletePrice(id);
        reload();
        return deleted;
    }
}
