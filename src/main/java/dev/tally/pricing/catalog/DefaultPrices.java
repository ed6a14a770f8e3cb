package dev.tally.pricing.catalog;

import dev.tally.pricing.PriceBook;
import dev.tally.pricing.PriceEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The platform's default book: the bundled catalog ({@link CatalogResource}, public list prices of
 * every kind with their dates and sources) under the hand-kept entries of
 * {@code /pricing/default-prices.json}. A hand-kept entry replaces the catalog's entry for the same
 * provider, model, unit, number prefix and date; everything else of both is kept, so the catalog's
 * dated history and its exact model names stand beside the hand-kept patterns (an exact name beats
 * a pattern, see {@link PriceBook#find}).
 */
public final class DefaultPrices {
    private static final String HAND_KEPT = "/pricing/default-prices.json";

    private DefaultPrices() {
    }

    /** The default book, read and validated once on first use. */
    public static PriceBook book() {
        return Loaded.BOOK;
    }

    /** Whether an entry with this id is one of the bundled defaults (which cannot be deleted). */
    public static boolean isDefault(String id) {
        return Loaded.IDS.contains(id);
    }

    private static PriceBook load() {
        Map<PriceEntry.Key, PriceEntry> byKey = new LinkedHashMap<>();
        for (CatalogEntry entry : CatalogResource.load().entries()) {
            PriceEntry price = CatalogPrices.priceEntry(entry);
            byKey.put(price.key(), price);
        }
        for (PriceEntry entry : handKept()) {
            byKey.put(entry.key(), entry);
        }
        return new PriceBook(new ArrayList<>(byKey.values()));
    }

    private static List<PriceEntry> handKept() {
        try (InputStream json = DefaultPrices.class.getResourceAsStream(HAND_KEPT)) {
            if (json == null) {
                throw new IllegalStateException("missing resource " + HAND_KEPT);
            }
            List<PriceEntry> entries = PriceBook.readEntries(json);
            Set<String> ids = new HashSet<>();
            for (PriceEntry entry : entries) {
                if (entry.tenantId() != null || entry.id() == null || !ids.add(entry.id())) {
                    throw new IllegalStateException(HAND_KEPT
                            + ": every default entry needs a unique id and no tenant, not " + entry);
                }
            }
            return entries;
        } catch (IOException failure) {
            throw new UncheckedIOException("cannot read " + HAND_KEPT, failure);
        }
    }

    /** Holder idiom: the JVM loads the book once, lazily, without locking on every call. */
    private static final class Loaded {
        static final PriceBook BOOK = load();
        static final Set<String> IDS = Set.copyOf(BOOK.entries().stream().map(PriceEntry::id).toList());
    }
}
