package dev.tally.pricing.catalog;

import dev.tally.pricing.InvalidPriceEntryException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Collects one import's entries and counts what it leaves out, so that each importer only
 * decides what a source entry means. One key is kept once: the first entry offered for it,
 * unless a later one is offered as preferred.
 */
final class ImportTally {
    private final Map<CatalogKey, CatalogEntry> entries = new LinkedHashMap<>();
    private final Map<CatalogKey, Boolean> preferred = new LinkedHashMap<>();
    private final Map<String, Integer> skipped = new TreeMap<>();

    void skip(String reason) {
        skipped.merge(reason, 1, Integer::sum);
    }

    /**
     * Adds the entry the supplier builds; a source entry that breaks a rule of {@link CatalogEntry}
     * (a negative price, a long-context rate without its threshold) is counted, not fatal, since one
     * odd line of a community catalog should not block the thousands of good ones.
     */
    void add(Supplier<CatalogEntry> entry, boolean isPreferred) {
        CatalogEntry built;
        try {
            built = entry.get();
        } catch (InvalidPriceEntryException invalid) {
            skip("rejected by validation (" + invalid.field() + ")");
            return;
        }
        if (built.hasOnlyZeroRates()) {
            skip("every price zero");
            return;
        }
        CatalogKey key = CatalogKey.of(built);
        Boolean keptIsPreferred = preferred.get(key);
        if (keptIsPreferred == null) {
            entries.put(key, built);
            preferred.put(key, isPreferred);
            return;
        }
        skip("same model and date twice");
        if (isPreferred && !keptIsPreferred) {
            entries.put(key, built);
            preferred.put(key, true);
        }
    }

    CatalogImport result() {
        return CatalogImport.of(entries.values(), skipped);
    }
}
