package dev.tally.store.duckdb;

import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.RawTable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The count and extremes of recent groups of the rollup tables with minimums or maximums, as their
 * stored rows combine to: whether a correction took a group's extreme, known without a query.
 * Corrections follow their events closely, so the groups they touch are the ones the latest writes
 * made or changed.
 *
 * <p>A group is known from its birth (no stored row before the write that made it, which
 * {@link RecentRows#bornIn} tells) and followed through every later committed write by the rule the
 * table's rows combine by: it takes its delta row's sums and extremes. A group listed stale, or one a
 * write touched and this did not know, stays unknown. Emptied with the rows held, by anything else
 * that changes stored rows. Used by the writer thread only.
 */
final class GroupStates {
    /** Groups known per table: a few hundred bytes each; a correction older than this many groups lists its group stale. */
    static final int CAPACITY = 32_768;

    /** A group's count ({@link RollupTable#countColumn}) and its measures' extremes (sums' places unused). */
    record State(long count, long[] extremes) {
    }

    private final Map<RollupTable, Map<List<Object>, State>> known = new IdentityHashMap<>();
    /** What the write makes of the groups it touched, known at its commit; null for a group it leaves unknown. */
    private final Map<RollupTable, Map<List<Object>, State>> pending = new IdentityHashMap<>();
    private Map<RollupTable, Set<List<Object>>> born = Map.of();

    /** At a write's start: the groups it is the first to give rows to. */
    void bornIn(List<Map.Entry<RollupTable, List<Object>>> groups) {
        Map<RollupTable, Set<List<Object>>> byTable = new IdentityHashMap<>();
        for (Map.Entry<RollupTable, List<Object>> group : groups) {
            byTable.computeIfAbsent(group.getKey(), any -> new HashSet<>()).add(group.getValue());
        }
        born = byTable;
    }

    /** The group as stored before this write, or null when not known here. */
    State before(RollupTable table, List<Object> group) {
        return known.getOrDefault(table, Map.of()).get(group);
    }

    /**
     * The rows this write appends to a table: the delta rows, each tenant_id, slot, keys…, measures….
     * A group listed stale ({@link StaleExtremes}) is forgotten: its stored extremes are bounds until rebuilt.
     */
    void written(RollupTable table, List<Object[]> deltaRows, Set<List<Object>> stale) {
        Set<List<Object>> bornHere = born.getOrDefault(table, Set.of());
        Map<List<Object>, State> after = pending.computeIfAbsent(table, any -> new HashMap<>());
        int keys = table.keys().size() + 2;
        // a stream without corrections knows no group: its delta rows need no key made
        boolean followsAny = !bornHere.isEmpty() || !known.getOrDefault(table, Map.of()).isEmpty();
        for (Object[] row : followsAny ? deltaRows : List.<Object[]>of()) {
            List<Object> group = Arrays.asList(Arrays.copyOf(row, keys));
            State stored = before(table, group);
            if (stored != null) {
                after.put(group, combined(table, stored, row, keys));
            } else if (bornHere.contains(group)) {
                after.put(group, combined(table, new State(0, table.identities()), row, keys));
            }
            // else unknown before and after: nothing to follow
        }
        stale.forEach(group -> after.put(group, null));
    }

    /** The write committed: its groups stand as {@link #written} said. */
    void committed() {
        pending.forEach((table, groups) -> {
            Map<List<Object>, State> states = known.computeIfAbsent(table, any -> new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<List<Object>, State> eldest) {
                    return size() > CAPACITY;
                }
            });
            groups.forEach((group, state) -> {
                // re-inserted at the end: a group just written is the likeliest to be corrected next
                states.remove(group);
                if (state != null) {
                    states.put(group, state);
                }
            });
        });
        endWrite();
    }

    /** Stored rows changed in a way this does not follow, or a write failed: nothing is known. */
    void clear() {
        known.clear();
        endWrite();
    }

    private void endWrite() {
        pending.clear();
        born = Map.of();
    }

    /** Known groups per table (tests). */
    Map<List<Object>, State> known(RollupTable table) {
        return Map.copyOf(known.getOrDefault(table, Map.of()));
    }

    private static State combined(RollupTable table, State stored, Object[] row, int keys) {
        List<RollupTable.Measure> measures = table.measures();
        long count = stored.count();
        long[] extremes = stored.extremes().clone();
        for (int index = 0; index < measures.size(); index++) {
            long value = ((Number) row[keys + index]).longValue();
            switch (measures.get(index).combine()) {
                // the count is the first measure (RollupTable#countColumn); the other sums are not followed
                case SUM -> count += index == 0 ? value : 0;
                case MIN -> extremes[index] = Math.min(extremes[index], value);
                case MAX -> extremes[index] = Math.max(extremes[index], value);
            }
        }
        return new State(count, extremes);
    }

    /** The tables followed: those of {@link Rollups#ALL} with extremes over the raw events. */
    static boolean follows(RollupTable table) {
        return !table.onlySums() && table.source() == RawTable.EVENTS;
    }
}
