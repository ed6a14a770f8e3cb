package dev.tally.store.duckdb;

import dev.tally.event.Event;
import dev.tally.ingest.EventKey;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.rollup.StoredEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows of one raw table that the latest writes committed, as {@link StoredEvent#fromRow} would
 * read them back, so a correction or a retry that follows its event soon (most do: a price filled in,
 * a post-call analysis, a client's retry) is planned without a query. A lookup reads the 33 columns of
 * every row in its time window, which is what made ingest with revisions slower than without.
 *
 * <p>Also by group of each rollup table with minimums or maximums ({@link #storedIn}), for checking
 * whether a group that lost a value kept its extremes, from memory; and which groups are held whole
 * ({@link #whole}): born while watched (their slot above every slot the tenant had stored) and none
 * of their rows let go since, so their extremes and counts need no query either. The groups are
 * listed only when a write asks, so a stream without corrections pays for none of it.
 *
 * <p>Held only while stored rows are asked for: a write that looks up none of the table's rows
 * (a stream of new events) would pay for every row and use none, so after {@link #IDLE_WRITES} such
 * writes in a row the rows are let go until a lookup asks again.
 *
 * <p>Filled only after a commit; emptied by anything else that changes the table's rows (a failed
 * write whose commit may have taken effect, erasure, retention, tenant deletion), so a row held here
 * is always the stored one. Used by the writer thread only, under the store's writer lock.
 */
final class RecentRows {
    /**
     * Rows held per table: the corrections that follow their events within a write or two; older
     * ones are looked up, as they always were. More rows are a little faster and cost memory: at 1M
     * events with 5 % corrections, 16,384 or 65,536 rows ingested 4–7 % faster than none while the
     * server's peak RSS grew by 0.4–0.8 GiB at -Xmx2g (the copies promoted and dropped in the old
     * generation); 8,192 stay within ~0.1 GiB (BENCHMARKS.md, session 23).
     */
    static final int CAPACITY = 8_192;
    static final int IDLE_WRITES = 64;
    /** The rollup tables with extremes over this raw table: the calls' have none, so their rows are not grouped. */
    private final List<RollupTable> withExtremes;

    private final Map<EventKey, Event> rows = new LinkedHashMap<>(CAPACITY * 4 / 3 + 1, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<EventKey, Event> eldest) {
            return size() > CAPACITY;
        }
    };
    /** Rows committed since the groups were last listed. */
    private final List<Event> unlisted = new ArrayList<>();
    /** Too many rows went unlisted, and were dropped: the groups are listed again from the rows held. */
    private boolean listingLost;
    /**
     * Per table with extremes, the rows listed in each group: every row committed since the group
     * was born (unless {@link #listingLost}), current, replaced or let go since.
     */
    private final Map<RollupTable, Map<List<Object>, List<Event>>> byGroup = new IdentityHashMap<>();
    /** Per table with extremes, the groups born while every row committed to them was listed. */
    private final Map<RollupTable, Set<List<Object>>> born = new IdentityHashMap<>();
    /**
     * Per table with extremes and tenant, a slot at or after every slot the tenant's stored rows
     * have: raised before each write, so it stays one whatever the write's fate, and kept by
     * {@link #clear}, as deleting or rewriting rows cannot make it wrong.
     */
    private final Map<RollupTable, Map<String, Long>> lastSlots = new IdentityHashMap<>();
    /** Whether rows are held (and the last slots followed); see {@link #asked}. */
    private boolean holding;
    private boolean askedThisWrite;
    private int writesNotAsking;

    RecentRows(dev.tally.store.sql.RawTable source) {
        this.withExtremes = Rollups.ALL.stream()
                .filter(table -> !table.onlySums() && table.source() == source).toList();
    }

    /** The row stored for this key, if one of the latest writes committed it; null when unknown here. */
    Event get(EventKey key) {
        return rows.get(key);
    }

    /** A write looks stored rows of the table up: hold rows from now on, if not already. */
    void asked() {
        askedThisWrite = true;
    }

    /**
     * After a write's plan, before its rows: counts the writes that asked nothing, letting the rows go
     * after {@link #IDLE_WRITES}; starts holding when this one asked, reading the tenants' last slots
     * (not followed while nothing was held) through the write's connection.
     */
    void planned(Connection connection) throws SQLException {
        if (askedThisWrite) {
            askedThisWrite = false;
            writesNotAsking = 0;
            if (!holding) {
                loadLastSlots(connection);
                holding = true;
            }
        } else if (holding && ++writesNotAsking > IDLE_WRITES) {
            clear();
            lastSlots.clear();
            holding = false;
        }
    }

    /** Each tenant's last slot in each table with extremes, as the store holds them now. */
    private void loadLastSlots(Connection connection) throws SQLException {
        lastSlots.clear();
        for (RollupTable table : withExtremes) {
            try (Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SELECT tenant_id, max(" + table.grain().column()
                         + ") FROM " + table.name() + " GROUP BY tenant_id")) {
                while (result.next()) {
                    lastSlots.computeIfAbsent(table, any -> new HashMap<>())
                            .merge(result.getString(1), result.getLong(2), Math::max);
                }
            }
        }
    }

    /**
     * Before a write: the groups its events would be the first of (a slot above the tenant's last),
     * to be passed to {@link #committed}; the last slots are raised past the write's.
     */
    List<Map.Entry<RollupTable, List<Object>>> bornIn(List<Event> written) {
        List<Map.Entry<RollupTable, List<Object>>> groups = new ArrayList<>();
        if (!holding) {
            return groups;
        }
        for (RollupTable table : withExtremes) {
            Map<String, Long> last = lastSlots.computeIfAbsent(table, any -> new HashMap<>());
            // this write's last slot per tenant, raised after all its events are judged by the stored ones
            Map<String, long[]> raised = new HashMap<>();
            for (Event event : written) {
                if (!table.covers().test(event)) {
                    continue;
                }
                long slot = table.grain().slot(event.timeMs);
                long[] lastSlot = raised.computeIfAbsent(event.tenantId, tenant -> {
                    Long stored = last.get(tenant);
                    return new long[] {stored == null ? Long.MIN_VALUE : stored, stored == null ? Long.MIN_VALUE : stored};
                });
                if (slot > lastSlot[0]) {
                    groups.add(Map.entry(table, Rollups.Deltas.group(table, event)));
                }
                lastSlot[1] = Math.max(lastSlot[1], slot);
            }
            raised.forEach((tenant, lastSlot) -> last.put(tenant, lastSlot[1]));
        }
        return groups;
    }

    /** After a commit: the write's rows are now the ones stored under their keys; {@code groups} as {@link #bornIn} found. */
    void committed(List<Event> written, List<Map.Entry<RollupTable, List<Object>>> groups) {
        if (!holding) {
            return;
        }
        for (Map.Entry<RollupTable, List<Object>> group : groups) {
            born.computeIfAbsent(group.getKey(), any -> new HashSet<>()).add(group.getValue());
        }
        for (Event event : written) {
            EventKey key = new EventKey(event.tenantId, event.id);
            Event row = StoredEvent.of(event);
            // re-inserted at the end: a row just corrected is the likeliest to be corrected again soon
            rows.remove(key);
            rows.put(key, row);
            unlisted.add(row);
        }
        if (unlisted.size() > CAPACITY) {
            // a stream without corrections: nothing asks for the groups, and the rows must not pile up
            unlisted.clear();
            byGroup.clear();
            listingLost = true;
        }
    }

    /** Lists the rows committed since the last time; after a loss, the rows held, and no group is whole. */
    private void list() {
        if (listingLost) {
            byGroup.clear();
            born.clear();
            rows.values().forEach(this::list);
            listingLost = false;
        } else {
            unlisted.forEach(this::list);
        }
        unlisted.clear();
    }

    private void list(Event row) {
        for (RollupTable table : withExtremes) {
            if (table.covers().test(row)) {
                byGroup.computeIfAbsent(table, any -> new HashMap<>())
                        .computeIfAbsent(Rollups.Deltas.group(table, row), any -> new ArrayList<>(4)).add(row);
            }
        }
    }

    /**
     * The rows held that are stored in this group of a table with extremes: some of the group's
     * events, or all of them, which only the group's count or {@link #whole} can tell.
     */
    List<Event> storedIn(RollupTable table, List<Object> group) {
        list();
        List<Event> listed = byGroup.getOrDefault(table, Map.of()).get(group);
        if (listed == null) {
            return List.of();
        }
        // by identity: a later revision of the same key is listed apart, in its own group
        listed.removeIf(row -> {
            Event current = rows.get(new EventKey(row.tenantId, row.id));
            if (current == null) {
                // let go while it may still be stored: the group is no longer held whole
                born.getOrDefault(table, new HashSet<>()).remove(group);
            }
            return current != row;
        });
        return new ArrayList<>(listed);
    }

    /**
     * The group's stored events if every one of them is held, else null: born while watched, and
     * no row listed in it let go (a row whose key holds a later revision was replaced, and is gone
     * from the table too; one whose key is not held at all may still be stored).
     */
    List<Event> whole(RollupTable table, List<Object> group) {
        List<Event> stored = storedIn(table, group);
        return born.getOrDefault(table, Set.of()).contains(group) ? stored : null;
    }

    /** The table changed in a way this does not follow: every row held may be stale. */
    void clear() {
        rows.clear();
        unlisted.clear();
        byGroup.clear();
        born.clear();
        listingLost = false;
    }
}
