package dev.tally.pricing.catalog;

import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one read of a public catalog produced: its entries, sorted so that two reads of the same
 * file are equal lists, and how many source entries were left out, by reason, so that an import
 * can say what it did not take.
 */
public record CatalogImport(List<CatalogEntry> entries, SortedMap<String, Integer> skipped) {

    /** The order of every catalog list: kind, provider, model, prefix (none first), effective date. */
    public static final Comparator<CatalogEntry> ORDER = Comparator
            .comparing(CatalogEntry::kind)
            .thenComparing(CatalogEntry::provider)
            .thenComparing(CatalogEntry::model)
            .thenComparing(CatalogEntry::prefix, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(CatalogEntry::effectiveFrom);

    public CatalogImport {
        entries = entries.stream().sorted(ORDER).toList();
        skipped = Collections.unmodifiableSortedMap(new TreeMap<>(skipped));
    }

    static CatalogImport of(Collection<CatalogEntry> entries, Map<String, Integer> skipped) {
        return new CatalogImport(List.copyOf(entries), new TreeMap<>(skipped));
    }

    /** Source entries left out, over every reason. */
    public int skippedCount() {
        return skipped.values().stream().mapToInt(Integer::intValue).sum();
    }
}
