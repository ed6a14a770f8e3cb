package dev.tally.prices;

import dev.tally.pricing.PriceEntry;
import java.util.List;

/**
 * What an import of a catalog does to the price book: entries it adds, entries whose rates it
 * changes (each with the entry in force before), and how many it finds already in force with the
 * same rates. Importing the same catalog twice adds and changes nothing the second time.
 */
public record PriceImportPlan(List<PriceEntry> added, List<Change> changed, int unchanged) {

    public PriceImportPlan {
        added = List.copyOf(added);
        changed = List.copyOf(changed);
    }

    /** An entry of the book replaced by one with other rates for the same key. */
    public record Change(PriceEntry before, PriceEntry after) { }
}
