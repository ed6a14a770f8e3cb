package dev.tally.store.duckdb;

import dev.tally.event.Event;
import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.rollup.StoredEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
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

    /**
     * By the fingerprint the plan computed, not by (tenant, id): a key of two strings was a key object
     * per row, both strings hashed and compared in a map whose nodes had left the cache. Two keys
     * sharing a fingerprint share an entry: the later one is held, and {@link #held} confirms the key,
     * so the other is looked up as if let go.
     */
    private final Map<Long, Event> rows = new LinkedHashMap<>(CAPACITY * 4 / 3 + 1, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Event> eldest) {
            return size() > CAPACITY;
        }
    };
    /**
     * The latest writes' rows by reference, newest first, each indexed only if a lookup asks: a
     * group commit is often larger than {@link #CAPACITY}, and a correction of one of its first
     * rows was looked up in the table. Held for {@link #get} only; the groups list the copies in {@link #rows}.
     */
    private final ArrayDeque<LastWrite> lastWrites = new ArrayDeque<>();
    /**
     * One write: with two, the events of a group commit lived through young collections and were
     * promoted, and at 10M with 5 % corrections GC took 12 s instead of 7 and the peak RSS was
     * 0.3 GiB higher, for a slower ingest (BENCHMARKS.md, session 31).
     */
    static final int WRITES_KEPT = 1;
    /** Rows committed since the groups were last listed. */
    private final List<Held> unlisted = new ArrayList<>();
    /** Too many rows went unlisted, and were dropped: the groups are listed again from the rows held. */
    private boolean listingLost;
    /**
     * Per table with extremes, the rows listed in each group: every row committed since the group
     * was born (unless {@link #listingLost}), current, replaced or let go since.
     */
    private final Map<RollupTable, Map<List<Object>, List<Held>>> byGroup = new IdentityHashMap<>();
    /**
     * Entries in {@link #byGroup}. A row let go leaves its listings until its group is asked for, and
     * most groups never are again (an hour past): past {@link #maximumListings} the groups are listed
     * afresh from the rows held, so memory stays a multiple of the capacity, however long the run.
     */
    private int listings;
    private final int maximumListings;
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
        this.maximumListings = 2 * CAPACITY * Math.max(1, withExtremes.size());
    }

    /** A row as listed, with the fingerprint it is held by. */
    private record Held(long fingerprint, Event row) {
    }

    /** The row stored for this key, if one of the latest writes committed it; null when unknown here. */
    Event get(String tenantId, String id) {
        long fingerprint = IdFingerprint.of(tenantId, id);
        for (LastWrite write : lastWrites) {
            int found = write.find(fingerprint);
            if (found == LastWrite.ABSENT) {
                continue;
            }
            // a newer write holds this fingerprint: an older row of the key anywhere else may be stale
            Event row = found == LastWrite.SHARED ? null : write.rows.get(found);
            return row != null && row.id.equals(id) && row.tenantId.equals(tenantId) ? StoredEvent.of(row) : null;
        }
        return held(fingerprint, tenantId, id);
    }

    /** One committed write's rows and their fingerprints, as the plan made them. */
    private static final class LastWrite {
        static final int ABSENT = -1;
        /** Two rows of the write share the fingerprint: neither is taken from here. */
        static final int SHARED = -2;
        final List<Event> rows;
        final long[] fingerprints;
        private Map<Long, Integer> index;

        LastWrite(List<Event> rows, long[] fingerprints) {
            this.rows = rows;
            this.fingerprints = fingerprints;
        }

        int find(long fingerprint) {
            if (index == null) {
                index = new HashMap<>(rows.size() * 4 / 3 + 1);
                for (int position = 0; position < rows.size(); position++) {
                    index.merge(fingerprints[position], position, (first, second) -> SHARED);
                }
            }
            Integer found = index.get(fingerprint);
            return found == null ? ABSENT : found;
        }
    }

    /** The row held under this fingerprint if it is this key's. */
    Event held(long fingerprint, String tenantId, String id) {
        Event row = rows.get(fingerprint);
        return row != null && row.id.equals(id) && row.tenantId.equals(tenantId) ? row : null;
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

    /**
     * After a commit: the write's rows are now the ones stored under their keys ({@code fingerprints}
     * theirs, in order); {@code groups} as {@link #bornIn} found. Of a write larger than the capacity
     * only the last rows are kept, and none of its groups is held whole: the others would be let go at once.
     */
    void committed(List<Event> written, long[] fingerprints, List<Map.Entry<RollupTable, List<Object>>> groups) {
        if (!holding) {
            return;
        }
        lastWrites.addFirst(new LastWrite(written, fingerprints));
        if (lastWrites.size() > WRITES_KEPT) {
            lastWrites.removeLast();
        }
        int first = Math.max(0, written.size() - CAPACITY);
        if (first > 0 || unlisted.size() + written.size() > CAPACITY) {
            // a stream without corrections, or a large write: the groups are listed again when asked
            loseListing();
            if (first > 0) {
                rows.clear();
            }
        } else {
            for (Map.Entry<RollupTable, List<Object>> group : groups) {
                born.computeIfAbsent(group.getKey(), any -> new HashSet<>()).add(group.getValue());
            }
        }
        for (int index = first; index < written.size(); index++) {
            Event row = StoredEvent.of(written.get(index));
            // re-inserted at the end: a row just corrected is the likeliest to be corrected again soon
            rows.remove(fingerprints[index]);
            rows.put(fingerprints[index], row);
            if (!listingLost) {
                unlisted.add(new Held(fingerprints[index], row));
            }
        }
    }

    private void loseListing() {
        unlisted.clear();
        byGroup.clear();
        listings = 0;
        listingLost = true;
    }

    /** Lists the rows committed since the last time; after a loss, the rows held, and no group is whole. */
    private void list() {
        if (listings + (long) unlisted.size() * withExtremes.size() > maximumListings) {
            loseListing();
        }
        if (listingLost) {
            born.clear();
            rows.forEach((fingerprint, row) -> list(new Held(fingerprint, row)));
            listingLost = false;
        } else {
            unlisted.forEach(this::list);
        }
        unlisted.clear();
    }

    private void list(Held held) {
        for (RollupTable table : withExtremes) {
            if (table.covers().test(held.row())) {
                byGroup.computeIfAbsent(table, any -> new HashMap<>())
                        .computeIfAbsent(Rollups.Deltas.group(table, held.row()), any -> new ArrayList<>(4)).add(held);
                listings++;
            }
        }
    }

    /**
     * The rows held that are stored in this group of a table with extremes: some of the group's
     * events, or all of them, which only the group's count or {@link #whole} can tell.
     */
    List<Event> storedIn(RollupTable table, List<Object> group) {
        list();
        List<Held> listed = byGroup.getOrDefault(table, Map.of()).get(group);
        if (listed == null) {
            return List.of();
        }
        // by identity: a later revision of the same key is listed apart, in its own group
        int before = listed.size();
        listed.removeIf(listing -> {
            Event row = listing.row();
            Event current = held(listing.fingerprint(), row.tenantId, row.id);
            if (current == null) {
                // let go while it may still be stored: the group is no longer held whole
                born.getOrDefault(table, new HashSet<>()).remove(group);
            }
            return current != row;
        });
        listings -= before - listed.size();
        List<Event> stored = new ArrayList<>(listed.size());
        listed.forEach(listing -> stored.add(listing.row()));
        return stored;
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
        lastWrites.clear();
        rows.clear();
        unlisted.clear();
        byGroup.clear();
        born.clear();
        listings = 0;
        listingLost = false;
    }

    /** Entries listed by group (tests: bounded whatever the run's length). */
    int listings() {
        return listings;
    }

    /** Rows held (tests). */
    int held() {
        return rows.size();
    }
}
