package dev.tally.ingest;

import dev.tally.event.Event;

/** Prices an event at ingest (cost and credits), with the book in force for its tenant and time. */
@FunctionalInterface
public interface EventPricing {
    void price(Event event);
}
