package dev.tally.store.clickhouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.event.Event;
import dev.tally.ingest.dedup.FingerprintSet;
import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.store.sql.Row;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The fingerprints of every stored event id, in this instance's memory, so that a batch of new
 * events skips the keyed lookup in {@code event_ids}. That lookup reads a compressed block of the
 * hashes per part for each id, and a batch of 5,000 ids reads most blocks once the table holds
 * tens of millions: its cost grows with the stored events (a second a batch at 100M). This set
 * costs eight bytes an id and answers in memory.
 *
 * <p>Other instances write too, so the set is kept a superset of what is stored:
 * <ul>
 * <li>at first use (and after an idle hour) it is loaded from {@code event_ids}, with the ids
 *     announced in the last {@link #WINDOW_MS}, whose events may still be on their way;</li>
 * <li>a batch's fingerprints join it, and are announced in {@code id_announcements}, before any of
 *     the batch's rows go in;</li>
 * <li>before each batch it reads what the other instances announced since its last reading, less
 *     {@link #WINDOW_MS}: an announcement lands within {@link ClickHouseRollups#WRITE_BOUND_MS} of
 *     its time (a slower write announces again once its rows are in) and clocks agree within
 *     {@link #CLOCK_SKEW_MS}.</li>
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
    static final long CLOCK_SKEW_MS = 10_000;
    static final long WINDOW_MS = ClickHouseRollups.WRITE_BOUND_MS + CLOCK_SKEW_MS;
    /** Longer than any pause between catch-ups of a busy instance, far shorter than {@link #KEEP_DAYS}. */
    static final long RELOAD_AFTER_MS = 3_600_000;
    static final int KEEP_DAYS = 2;
    private static final long PRUNE_EVERY_MS = 3_600_000;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final ObjectMapper MAPPER = new ObjectMapper();

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
        long stored = http.query("SELECT count() AS n FROM " + ClickHouseSchema.EVENT_IDS).get(0).longValue("n");
        FingerprintSet.Loader loader = FingerprintSet.loader(stored);
        http.queryLongs("SELECT id_hash FROM " + ClickHouseSchema.EVENT_IDS, loader::add);
        http.queryLongs("SELECT id_hash FROM " + ANNOUNCEMENTS + " WHERE announced_ms >= " + (now - WINDOW_MS),
                loader::add);
        known = loader.finish();
        caughtUpAt = now;
    }

    /** Whether an event with this fingerprint may be stored; false means it surely is not. */
    synchronized boolean mayHold(long fingerprint) {
        return known == null || known.contains(fingerprint);
    }

    /** Before the batch's rows go in: its new events join the set and are announced to the others. */
    void announce(Collection<Event> newEvents) {
        if (newEvents.isEmpty()) {
            return;
        }
        StringBuilder rows = new StringBuilder(newEvents.size() * 96);
        long now = clock.getAsLong();
        synchronized (this) {
            for (Event event : newEvents) {
                long fingerprint = IdFingerprint.of(event.tenantId, event.id);
                if (known != null) {
                    known.add(fingerprint);
                }
                rows.append(MAPPER.createObjectNode().put("announced_ms", now).put("instance", instance)
                        .put("id_hash", fingerprint).toString()).append('\n');
            }
        }
        http.insert(ANNOUNCEMENTS, rows.toString());
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
