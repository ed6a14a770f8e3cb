package dev.tally.report.stats;

/** What a metric's stored values count, which decides how its aggregates are written out. */
enum MetricUnit {
    /** Whole numbers: tokens, milliseconds, calls. */
    COUNT,
    /** Nano-USD in the store, decimal US dollars on the wire. */
    NANO_USD
}
