package dev.tally.store.clickhouse;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Versions for ReplacingMergeTree rows that are replaced (a call's state, a revoked key): the row
 * with the highest version wins. Microseconds of the wall clock, made strictly increasing in this
 * process, and always above the version being replaced, so a replacement wins even when another
 * instance's clock runs ahead.
 */
final class Versions {
    private static final AtomicLong LAST = new AtomicLong();

    private Versions() {
    }

    static long after(long replaced) {
        long now = System.currentTimeMillis() * 1_000;
        return LAST.updateAndGet(last -> Math.max(Math.max(now, last + 1), replaced + 1));
    }
}
