package dev.tally.store.duckdb;

import dev.tally.event.Event;
import dev.tally.ingest.EventKey;
import dev.tally.store.rollup.StoredEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The rows of one raw table the writer committed last, as {@link StoredEvent#fromRow} would read
 * them: a correction usually follows its event within minutes (an SMS price filled in, a post-call
 * analysis), and finding the replaced row here saves the writer a lookup in the table.
 *
 * <p>Only committed rows enter, and anything else that changes the table (erasure, retention,
 * tenant deletion, a write whose outcome is unknown) empties it, so a row found here is the row
 * the table holds. Used by the writer thread and by those other paths, hence synchronized.
 */
final class RecentRows {
    static final int DEFAULT_CAPACITY = 100_000;

    private final Map<EventKey, Event> rows;

    RecentRows(int capacity) {
        this.rows = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<EventKey, Event> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Moves the rows of {@code ids} found here into {@code found} (a copy each) and out of {@code ids}. */
    synchronized void take(String tenantId, Set<String> ids, Map<EventKey, Event> found) {
        if (rows.isEmpty()) {
            return;
        }
        ids.removeIf(id -> {
            EventKey key = new EventKey(tenantId, id);
            Event row = rows.get(key);
            if (row == null) {
                return false;
            }
            found.put(key, StoredEvent.of(row));
            return true;
        });
    }

    /** After a commit: {@code event} is now the row of its id. */
    synchronized void committed(Event event) {
        EventKey key = new EventKey(event.tenantId, event.id);
        // re-inserted, so the newest state is the last to be evicted
        rows.remove(key);
        rows.put(key, StoredEvent.of(event));
    }

    synchronized void clear() {
        rows.clear();
    }

    synchronized int size() {
        return rows.size();
    }
}
