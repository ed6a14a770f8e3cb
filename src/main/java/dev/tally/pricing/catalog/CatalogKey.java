package dev.tally.pricing.catalog;

import java.time.LocalDate;

/** What makes a catalog entry unique: two entries with one key would make the price ambiguous. */
public record CatalogKey(CatalogKind kind, String provider, String model, String prefix, LocalDate effectiveFrom) {

    public static CatalogKey of(CatalogEntry entry) {
        return new CatalogKey(entry.kind(), entry.provider(), entry.model(), entry.prefix(), entry.effectiveFrom());
    }

    @Override
    public String toString() {
        return kind + " " + provider + "/" + model + (prefix == null ? "" : " " + prefix) + " from " + effectiveFrom;
    }
}
