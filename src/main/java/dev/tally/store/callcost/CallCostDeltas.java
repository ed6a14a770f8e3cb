package dev.tally.store.callcost;

import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.ingest.dedup.IdFingerprint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-call cost table's delta rows of one write: for each (tenant, call) the parts its new
 * events add, keyed by the call id alone, so an event that arrives before its call is counted all
 * the same and found once the call is stored. A part taken back (a stored event replaced by a
 * higher revision) subtracts what it added, in the same transaction as the replacement is stored.
 *
 * <p>The first and last part times only ever widen: they bound where a call's events are, which a
 * part taken back leaves true.
 */
public final class CallCostDeltas {
    public static final String TABLE = "call_costs";
    /** The calls whose cost a write may have changed since the per-call rows were last rebuilt: (tenant_id, call_hash). */
    public static final String CHANGED_TABLE = "call_costs_changed";
    private static final int EVENTS = 0;
    private static final int UNPRICED = 1;
    private static final int FIRST = 2;
    private static final int LAST = 3;
    private static final int FIRST_PART = 4;
    /** Stored order: the keys, the counts, the time bounds, then one column per part. */
    public static final List<String> COLUMNS = columns();

    private record Key(String tenantId, String callId) {
    }

    private final Map<Key, long[]> sums = new HashMap<>();
    /** Every call a state or a part of this write touched. */
    private final java.util.Set<Key> changed = new java.util.HashSet<>();

    private static List<String> columns() {
        List<String> columns = new ArrayList<>(List.of("tenant_id", "call_hash", "call_id", "events", "unpriced",
                "first_ms", "last_ms"));
        CostComponent.PARTS.forEach(component -> columns.add(component.column()));
        return List.copyOf(columns);
    }

    /** Adds an event's part to the call it names; an event that names no call, or adds to no part, adds nothing. */
    public void add(Event event) {
        apply(event, 1);
    }

    /** Takes back what {@link #add} added for the same event. */
    public void remove(Event event) {
        apply(event, -1);
    }

    private void apply(Event event, int sign) {
        if (event.type == dev.tally.event.EventType.CALL) {
            changed.add(new Key(event.tenantId, event.id));
            return;
        }
        Optional<CostComponent> part = CostComponent.partOf(event);
        if (part.isEmpty()) {
            return;
        }
        changed.add(new Key(event.tenantId, event.callId));
        long[] values = sums.computeIfAbsent(new Key(event.tenantId, event.callId), key -> {
            long[] fresh = new long[FIRST_PART + CostComponent.PARTS.size()];
            fresh[FIRST] = Long.MAX_VALUE;
            fresh[LAST] = Long.MIN_VALUE;
            return fresh;
        });
        values[EVENTS] += sign;
        if (event.costSource == CostSource.UNPRICED) {
            values[UNPRICED] += sign;
        }
        values[FIRST] = Math.min(values[FIRST], event.timeMs);
        values[LAST] = Math.max(values[LAST], event.timeMs);
        int index = FIRST_PART + CostComponent.PARTS.indexOf(part.get());
        values[index] = Math.addExact(values[index], sign * event.costNanos);
    }

    public boolean isEmpty() {
        return sums.isEmpty();
    }

    /** The (tenant_id, call_hash) of every call this write touched: its row kept ready is no longer current. */
    public List<Object[]> changedRows() {
        List<Object[]> rows = new ArrayList<>(changed.size());
        changed.forEach(key -> rows.add(new Object[] {key.tenantId(), IdFingerprint.of(key.tenantId(), key.callId())}));
        return rows;
    }

    /** Rows in {@link #COLUMNS} order. */
    public List<Object[]> rows() {
        List<Object[]> rows = new ArrayList<>(sums.size());
        sums.forEach((key, values) -> {
            Object[] row = new Object[3 + values.length];
            row[0] = key.tenantId();
            row[1] = IdFingerprint.of(key.tenantId(), key.callId());
            row[2] = key.callId();
            for (int index = 0; index < values.length; index++) {
                row[3 + index] = values[index];
            }
            rows.add(row);
        });
        return rows;
    }
}
