package dev.tally.store.duckdb;

import dev.tally.event.Event;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per tenant, the span of a batch's times widened by a day each side: where the stored rows of its
 * retries and corrections nearly always are. Events and calls are appended in about time order, so
 * a lookup bounded by these times reads the few row groups whose zone maps cover them, where a
 * lookup by id alone reads every row of the tenant, once per batch that revises anything.
 */
final class LookupWindows {
    static final long MARGIN_MS = 86_400_000L;

    private final Map<String, long[]> byTenant;

    private LookupWindows(Map<String, long[]> byTenant) {
        this.byTenant = byTenant;
    }

    static LookupWindows of(List<Event> events) {
        Map<String, long[]> byTenant = new HashMap<>();
        for (Event event : events) {
            long[] window = byTenant.computeIfAbsent(event.tenantId, tenant -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
            window[0] = Math.min(window[0], event.timeMs - MARGIN_MS);
            window[1] = Math.max(window[1], event.timeMs + MARGIN_MS);
        }
        return new LookupWindows(byTenant);
    }

    /** The tenant's window as {first, last} milliseconds, both included; null when the batch has none. */
    long[] of(String tenantId) {
        return byTenant.get(tenantId);
    }
}
