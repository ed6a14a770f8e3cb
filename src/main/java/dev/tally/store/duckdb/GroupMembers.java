package dev.tally.store.duckdb;

import dev.tally.event.Event;
import dev.tally.ingest.EventKey;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One write's knowledge of the events in a rollup group without reading the raw rows: the rows held
 * in memory ({@link RecentRows}), the rows the write replaces and the events it adds: whether a
 * group that lost values keeps its extremes, decided without a query where they prove it.
 */
final class GroupMembers {
    /** For writes that know nothing in memory (backfills): every group that lost values is listed stale. */
    static final GroupMembers NONE = new GroupMembers(null, null, List.of(), List.of());

    private final RecentRows recent;
    private final GroupStates states;
    private final Set<EventKey> replaced = new HashSet<>();
    private final List<Event> added;
    private final Map<RollupTable, Map<List<Object>, List<Event>>> addedByGroup = new IdentityHashMap<>();

    GroupMembers(RecentRows recent, GroupStates states, List<Event> replacedRows, List<Event> added) {
        this.recent = recent;
        this.states = states;
        for (Event row : replacedRows) {
            if (row != null) {
                replaced.add(new EventKey(row.tenantId, row.id));
            }
        }
        this.added = added;
    }

    /**
     * Whether the group keeps its extremes by what memory proves, without its stored rows: the rows
     * held that stay stored through this write are values of the group after it, so its stored
     * minimum is at most theirs, and a lost value above them was not the minimum (maximums alike).
     * {@link Rollups.Deltas#keepsExtremes} with these in place of the stored extremes answers true
     * only where it would with the stored ones; false means "ask the stored rows".
     */
    boolean provablyKeepsExtremes(RollupTable table, List<Object> group, Rollups.Deltas deltas) {
        if (!holdsRowsOf(table)) {
            return false;
        }
        List<Event> staying = new ArrayList<>();
        for (Event row : recent.storedIn(table, group)) {
            if (!replaced.contains(new EventKey(row.tenantId, row.id))) {
                staying.add(row);
            }
        }
        return deltas.keepsExtremes(table, group, extremes(table, staying));
    }

    /**
     * The group's stored events before this write when every one of them is held in memory
     * ({@link RecentRows#whole}), else null: its extremes and count are then theirs, read without a query.
     */
    List<Event> whole(RollupTable table, List<Object> group) {
        if (!holdsRowsOf(table)) {
            return null;
        }
        return recent.whole(table, group);
    }

    /** The group's count and extremes as stored before this write, when known without a query ({@link GroupStates}); else null. */
    GroupStates.State storedState(RollupTable table, List<Object> group) {
        return states == null || !GroupStates.follows(table) ? null : states.before(table, group);
    }

    /** The delta rows a write appends to a table and the groups it lists as stale: see {@link GroupStates#written}. */
    void written(RollupTable table, List<Object[]> deltaRows, Set<List<Object>> stale) {
        if (states != null && GroupStates.follows(table)) {
            states.written(table, deltaRows, stale);
        }
    }

    /** Each minimum and maximum of the table over these events, the identity where there are none (sums: 0). */
    static long[] extremes(RollupTable table, List<Event> events) {
        List<RollupTable.Measure> measures = table.measures();
        long[] extremes = table.identities();
        for (Event row : events) {
            for (int index = 0; index < extremes.length; index++) {
                RollupTable.Measure measure = measures.get(index);
                long value = measure.value().applyAsLong(row);
                extremes[index] = switch (measure.combine()) {
                    case SUM -> 0;
                    case MIN -> Math.min(extremes[index], value);
                    case MAX -> Math.max(extremes[index], value);
                };
            }
        }
        return extremes;
    }

    /** Memory holds rows of the raw events only: a table over the calls is never known from it. */
    private boolean holdsRowsOf(RollupTable table) {
        return recent != null && table.source() == dev.tally.store.sql.RawTable.EVENTS;
    }

    private Map<List<Object>, List<Event>> addedTo(RollupTable table) {
        return addedByGroup.computeIfAbsent(table, any -> {
            Map<List<Object>, List<Event>> byGroup = new HashMap<>();
            for (Event event : added) {
                if (table.covers().test(event)) {
                    byGroup.computeIfAbsent(Rollups.Deltas.group(table, event), key -> new ArrayList<>()).add(event);
                }
            }
            return byGroup;
        });
    }
}
