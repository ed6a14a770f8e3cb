package dev.tally.store.duckdb;

import dev.tally.event.Event;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /** Tenants whose windows overlap, and the times covering all of their windows, both included. */
    record Span(Set<String> tenants, long first, long last) {
    }

    /**
     * The windows of these tenants merged where they overlap. Tenants interleave in time, so one
     * lookup over a span reads its rows once for all of them: each column of the span's rows is
     * decompressed once, where a lookup per tenant decompressed them again for every tenant (the
     * tenant condition drops rows, not the vectors they are in). Windows apart stay apart, so a
     * tenant sending old events does not widen another's lookup. Tenants without a window are left out.
     */
    List<Span> spans(Collection<String> tenants) {
        List<String> windowed = new ArrayList<>();
        for (String tenant : tenants) {
            if (byTenant.containsKey(tenant)) {
                windowed.add(tenant);
            }
        }
        windowed.sort(Comparator.comparingLong((String tenant) -> byTenant.get(tenant)[0]));
        List<Span> spans = new ArrayList<>();
        Set<String> current = new LinkedHashSet<>();
        long first = 0;
        long last = 0;
        for (String tenant : windowed) {
            long[] window = byTenant.get(tenant);
            if (!current.isEmpty() && window[0] > last) {
                spans.add(new Span(current, first, last));
                current = new LinkedHashSet<>();
            }
            if (current.isEmpty()) {
                first = window[0];
                last = window[1];
            }
            current.add(tenant);
            last = Math.max(last, window[1]);
        }
        if (!current.isEmpty()) {
            spans.add(new Span(current, first, last));
        }
        return spans;
    }
}
