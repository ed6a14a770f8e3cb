package dev.tally.store.clickhouse;

import dev.tally.event.Event;
import dev.tally.ingest.dedup.FingerprintSet;
import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.store.sql.Row;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fingerprints of every stored event and call id, in this instance's memory, so that a batch
 * of new events and calls skips the keyed lookups in {@code event_ids} and {@code call_states}.
 * Such a lookup reads a compressed block of the hashes per part for each id, and a batch of 5,000
 * ids reads most blocks once the table holds tens of millions: its cost grows with the stored
 * rows (a second a batch at 100M events). This set costs eight bytes an id and answers in memory.
 * Events and calls share it: a call whose id is also an event's costs a lookup, nothing more. So
 * do the chats that recorded references name ({@link ClickHouseChatReferences#fingerprint}), so
 * that a chat no message has named skips the lookup of the hours referencing it.
 *
 * <p>Other instances write too, so the set is kept a superset of what is stored:
 * <ul>
 * <li>at first use (and after an idle hour) it is loaded from {@code event_ids} and
 *     {@code call_states}, with the ids announced in the last {@link #WINDOW_MS}, whose rows may
 *     still be on their way;</li>
 * <li>a batch's fingerprints join it, and are announced in {@code id_announcements}, before any of
 *     the batch's rows go in;</li>
 * <li>before each batch it reads what the other instances announced since its last reading, less
 *     {@link #WINDOW_MS}: an announcement is visible within {@link #ANNOUNCE_BOUND_MS} of its stamp
 *     (else it is sent again), and clocks agree within {@link #CLOCK_SKEW_MS};</li>
 * <li>a batch whose rows land later than {@link #ANNOUNCE_BOUND_MS} after its announcement's
 *     stamp is announced again, for an instance that loaded its set in between.</li>
 * </ul>
 * A fingerprint held is only a candidate: the keyed lookup confirms it, so an id announced by a
 * write that then failed costs a lookup, never a lost event. Announcements older than
 * {@link #KEEP_DAYS} days are dropped by partition.
 */
final class ClickHouseKnownIds {
    static final String ANNOUNCEMENTS = "id_announcements";
    static final String COLUMNS = "announced_ms Int64, instance String, id_hash Int64";
    static final String LAYOUT = "PARTITION BY toYYYYMMDD(toDateTime(intDiv(announced_ms, 1000), 'UTC'))"
            + " ORDER BY announced_ms";
    /** Instance clocks kept by NTP agree far closer than this. */
    static final long CLOCK_SKEW_MS = 2_000;
    static final long ANNOUNCE_BOUND_MS = 3_000;
    static final long WINDOW_MS = ANNOUNCE_BOUND_MS + CLOCK_SKEW_MS;
    /** Longer than any pause between catch-ups of a busy instance, far shorter than {@link #KEEP_DAYS}. */
    static final long RELOAD_AFTER_MS = 3_600_000;
    static final int KEEP_DAYS = 2;
    private static final long PRUNE_EVERY_MS = 3_600_000;
    private static final int MAX_ANNOUNCE_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseKnownIds.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private final ClickHouseHttp http;
    private final ClickHouseConfig config;
    private final LongSupplier clock;
    private final String instance = UUID.randomUUID().toString();
    /** Null until the first batch: a bulk load before it (a bench's preload, an upgrade) is read then. */
    private FingerprintSet known;
    /** This instance's clock when its last reading of the announcements began. */
    private long caughtUpAt;
    private long nextPruneAt = Long.MIN_VALUE;

    ClickHouseKnownIds(ClickHouseHttp http, ClickHouseConfig config, LongSupplier clock) {
        this.http = http;
        this.config = config;
        this.clock = clock;
    }

    /** Before a batch is planned: learns what the other instances announced since the last batch. */
    synchronized void catchUp() {
        long now = clock.getAsLong();
        if (known == null || now - caughtUpAt > RELOAD_AFTER_MS) {
            load(now);
            return;
        }
        http.queryLongs("SELECT id_hash FROM " + ANNOUNCEMENTS + " WHERE announced_ms >= " + (caughtUpAt - WINDOW_MS)
                + " AND instance != " + ClickHouseLiterals.string(instance), known::add);
        caughtUpAt = now;
    }

    private void load(long now) {
        long started = System.nanoTime();
        long stored = http.query("SELECT (SELECT count() FROM " + ClickHouseSchema.EVENT_IDS + ") + (SELECT count() FROM "
                + ClickHouseSchema.CALL_STATES + ") AS n").get(0).longValue("n") + ClickHouseChatReferences.count(http);
        FingerprintSet.Loader loader = FingerprintSet.loader(stored);
        http.queryLongs("SELECT id_hash FROM " + ClickHouseSchema.EVENT_IDS, loader::add);
        http.queryLongs("SELECT id_hash FROM " + ClickHouseSchema.CALL_STATES, loader::add);
        ClickHouseChatReferences.loadFingerprints(http, loader::add);
        http.queryLongs("SELECT id_hash FROM " + ANNOUNCEMENTS + " WHERE announced_ms >= " + (now - WINDOW_MS),
                loader::add);
        known = loader.finish();
        caughtUpAt = now;
        LOG.atInfo().addKeyValue("ids", known.size()).addKeyValue("ms", (System.nanoTime() - started) / 1_000_000)
                .log("known ids loaded");
    }

    /** Whether an event with this fingerprint may be stored; false means it surely is not. */
    synchronized boolean mayHold(long fingerprint) {
        return known == null || known.contains(fingerprint);
    }

    /**
     * Before the batch's rows go in: its new events and call states join the set and are announced
     * to the others. Returns the stamp of the announcement, for {@link #announceAgainIfLate}.
     */
    long announce(Collection<Event> written) {
        return announce(fingerprints(written), new long[0]);
    }

    private static long[] fingerprints(Collection<Event> written) {
        return written.stream().mapToLong(event -> IdFingerprint.of(event.tenantId, event.id)).toArray();
    }

    /**
     * The same with the batch's chat reference fingerprints ({@link ClickHouseChatReferences}),
     * beside recording the references. A chat writer skips its lookup on their absence, so an
     * announcement of references that stays late fails the write instead of being assumed seen.
     */
    long announce(long[] written, long[] references) {
        if (written.length == 0 && references.length == 0) {
            return Long.MAX_VALUE;
        }
        long[] fingerprints = Arrays.copyOf(written, written.length + references.length);
        System.arraycopy(references, 0, fingerprints, written.length, references.length);
        return announce(fingerprints, references.length > 0);
    }

    /** The same for ids a store writes itself (an erased call's pseudonym), before their rows go in. */
    long announce(String tenantId, Collection<String> ids) {
        return announce(ids.stream().mapToLong(id -> IdFingerprint.of(tenantId, id)).toArray(), false);
    }

    private long announce(long[] fingerprints, boolean mustBeSeen) {
        synchronized (this) {
            if (known != null) {
                for (long fingerprint : fingerprints) {
                    known.add(fingerprint);
                }
            }
        }
        for (int attempt = 1; ; attempt++) {
            long stamp = clock.getAsLong();
            // one row an id, as many as the events: tab-separated numbers and a UUID, which need no
            // escaping and cost the server a fraction of what parsing as many JSON objects does
            StringBuilder rows = new StringBuilder(fingerprints.length * 64);
            for (long fingerprint : fingerprints) {
                rows.append(stamp).append('\t').append(instance).append('\t').append(fingerprint).append('\n');
            }
            http.insertTabSeparated(ANNOUNCEMENTS, "announced_ms, instance, id_hash", rows.toString());
            if (clock.getAsLong() - stamp <= ANNOUNCE_BOUND_MS) {
                return stamp;
            }
            // visible later than a reader's window allows: its stamp may be behind a reading already made
            if (attempt == MAX_ANNOUNCE_ATTEMPTS && mustBeSeen) {
                throw new ClickHouseException("the announcement of " + fingerprints.length + " ids landed late "
                        + attempt + " times");
            }
            if (attempt == MAX_ANNOUNCE_ATTEMPTS) {
                // a cluster this slow would loop here forever; the batch's retry lookups and the
                // merge of copies (ClickHouseEventStore) cover what another instance misses
                LOG.atWarn().addKeyValue("ids", fingerprints.length).log("id announcement landed late {} times", attempt);
                return stamp;
            }
        }
    }

    /** After the batch's rows are in: announces them again if they landed too long after {@code stamp}. */
    void announceAgainIfLate(long[] written, long[] references, long stamp) {
        if (clock.getAsLong() - stamp > ANNOUNCE_BOUND_MS) {
            announce(written, references);
        }
    }

    /** Whether the set has been loaded (it is, from the first catch-up on). */
    synchronized boolean loaded() {
        return known != null;
    }

    /** How many fingerprints this instance holds; for tests and the bench's memory figures. */
    synchronized long size() {
        return known == null ? 0 : known.size();
    }

    /** Drops the announcements of days older than {@link #KEEP_DAYS}; at most once an hour, on every node. */
    void pruneDue() {
        long now = clock.getAsLong();
        if (now < nextPruneAt) {
            return;
        }
        nextPruneAt = now + PRUNE_EVERY_MS;
        String oldestKept = DAY.format(Instant.ofEpochMilli(now).minusSeconds(KEEP_DAYS * 86_400L));
        String table = config.clustered() ? ClickHouseSchema.localName(ANNOUNCEMENTS) : ANNOUNCEMENTS;
        String partitions = "SELECT DISTINCT partition FROM system.parts WHERE database = currentDatabase() AND table = "
                + ClickHouseLiterals.string(table) + " AND active AND partition < " + ClickHouseLiterals.string(oldestKept);
        List<URI> nodes = config.clustered() ? http.endpoints() : List.of(http.endpoints().get(0));
        for (URI node : nodes) {
            for (Row row : http.queryOn(node, partitions)) {
                http.executeOn(node, "ALTER TABLE " + table + " DROP PARTITION " + row.string("partition"));
            }
        }
    }
}
