package dev.tally.store.clickhouse;

import static dev.tally.store.EventStoreContract.TIME_MS;
import static dev.tally.store.EventStoreContract.call;
import static dev.tally.store.EventStoreContract.llm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ingest.WriteOutcome;
import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.testing.ClickHouseCluster;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The in-memory set of stored ids on the two-shard cluster: new ids skip the keyed lookup, yet
 * whatever another instance stored, announced or left half-written is still turned away or
 * completed once.
 */
class ClickHouseKnownIdsTest {
    /** Ten days ahead: what the stores write at the real time is older than any window of this clock. */
    private static final long NOW_MS = System.currentTimeMillis() + 10 * 86_400_000L;

    private ClickHouseConfig config;
    private ClickHouseStore first;
    private ClickHouseHttp http;
    private final AtomicLong clock = new AtomicLong(NOW_MS);

    @BeforeEach
    void open() {
        config = ClickHouseCluster.shared().newDatabase();
        first = ClickHouseStore.open(config);
        http = new ClickHouseHttp(config.endpoints(), ClickHouseStore.settings(config, true));
    }

    @AfterEach
    void close() {
        first.events().close();
    }

    @Test
    void idsStoredByAnotherInstanceAfterThisOneLoadedAreDuplicates() {
        ClickHouseStore second = ClickHouseStore.open(config);
        try {
            // the second instance has loaded its set before the first writes
            assertThat(second.events().write(List.of(llm("acme", "warm-up")))).containsExactly(WriteOutcome.STORED);
            assertThat(first.events().write(List.of(llm("acme", "e1"), llm("acme", "e2"))))
                    .containsExactly(WriteOutcome.STORED, WriteOutcome.STORED);

            assertThat(second.events().write(List.of(llm("acme", "e1"), llm("acme", "e2"), llm("acme", "e3"))))
                    .containsExactly(WriteOutcome.DUPLICATE, WriteOutcome.DUPLICATE, WriteOutcome.STORED);
            assertThat(first.events().write(List.of(llm("acme", "e3"), llm("acme", "warm-up"))))
                    .containsExactly(WriteOutcome.DUPLICATE, WriteOutcome.DUPLICATE);
        } finally {
            second.events().close();
        }
        assertThat(storedEvents()).isEqualTo(4);
    }

    @Test
    void aServerLoadsTheKnownIdsAsItStartsNotAtItsFirstWrite() throws InterruptedException {
        first.events().write(List.of(llm("acme", "e1"), llm("acme", "e2")));
        ClickHouseEventStore starting = (ClickHouseEventStore) ClickHouseStore.open(config).events();
        try {
            assertThat(starting.knownIdCount()).as("opened, not started").isZero();
            starting.prepareWrites();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (starting.knownIdCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(starting.knownIdCount()).isEqualTo(2);
            assertThat(starting.write(List.of(llm("acme", "e1"), llm("acme", "e3"))))
                    .containsExactly(WriteOutcome.DUPLICATE, WriteOutcome.STORED);
        } finally {
            starting.close();
        }
    }

    @Test
    void aCallStartedOnAnotherInstanceAfterThisOneLoadedIsUpdatedHere() {
        ClickHouseStore second = ClickHouseStore.open(config);
        try {
            assertThat(second.events().write(List.of(llm("acme", "warm-up")))).containsExactly(WriteOutcome.STORED);
            assertThat(first.events().write(List.of(call("acme", "c1", "in_progress", null, null))))
                    .containsExactly(WriteOutcome.STORED);

            assertThat(second.events().write(List.of(call("acme", "c1", "completed", TIME_MS + 60_000, 60_000L))))
                    .containsExactly(WriteOutcome.UPDATED);
        } finally {
            second.events().close();
        }
        assertThat(http.query("SELECT status FROM calls FINAL WHERE deleted = 0").stream()
                .map(row -> row.string("status")).toList()).containsExactly("completed");
    }

    @Test
    void anAnnouncementThatLandsLateIsSentAgain() {
        long bound = ClickHouseKnownIds.ANNOUNCE_BOUND_MS;
        // stamped, sent, found late; stamped again, sent, in time; the rows land late; stamped, sent, in time
        java.util.Iterator<Long> readings = List.of(NOW_MS, NOW_MS + bound + 1, NOW_MS + bound + 2, NOW_MS + bound + 3,
                NOW_MS + 2 * bound + 10, NOW_MS + 2 * bound + 11, NOW_MS + 2 * bound + 12).iterator();
        ClickHouseKnownIds known = new ClickHouseKnownIds(http, config, readings::next);
        long stamp = known.announce(List.of(llm("acme", "slow")));

        assertThat(stamp).isEqualTo(NOW_MS + bound + 2);
        assertThat(announced("slow")).isEqualTo(2);
        known.announceAgainIfLate(new long[] {IdFingerprint.of("acme", "slow")}, new long[0], stamp);
        assertThat(announced("slow")).as("the rows landed late too").isEqualTo(3);
    }

    @Test
    void chatReferencesAnnouncedLateEveryTimeFailTheWriteWhileIdsGoOn() {
        long bound = ClickHouseKnownIds.ANNOUNCE_BOUND_MS;
        AtomicLong readings = new AtomicLong(NOW_MS);
        // each reading after an insert finds it landed later than the bound
        ClickHouseKnownIds known = new ClickHouseKnownIds(http, config, () -> readings.getAndAdd(bound + 1));
        long reference = ClickHouseChatReferences.fingerprint("acme", "chat-1");

        assertThat(known.announce(List.of(llm("acme", "e1")))).as("ids: given up on, the write goes on").isPositive();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> known.announce(new long[0], new long[] {reference}))
                .isInstanceOf(ClickHouseException.class).hasMessageContaining("landed late 3 times");
        assertThat(http.query("SELECT count() AS n FROM id_announcements WHERE id_hash = " + reference).get(0)
                .longValue("n")).as("sent each time").isEqualTo(3);
    }

    @Test
    void recordedChatReferencesAreLoadedAndAnnouncedOnesLearned() {
        ClickHouseKnownIds known = new ClickHouseKnownIds(http, config, clock::get);
        first.events().write(List.of(dev.tally.testing.ChatEvents.message("m1", "c1", null, TIME_MS)));
        known.catchUp();
        assertThat(known.mayHold(ClickHouseChatReferences.fingerprint("t", "c1"))).as("loaded").isTrue();
        assertThat(known.mayHold(ClickHouseChatReferences.fingerprint("t", "c2"))).isFalse();
        assertThat(known.mayHold(IdFingerprint.of("t", "c1"))).as("a chat's own id is another fingerprint").isFalse();

        announceAs("other", NOW_MS, ClickHouseChatReferences.fingerprint("t", "c2"));
        clock.addAndGet(1_000);
        known.catchUp();
        assertThat(known.mayHold(ClickHouseChatReferences.fingerprint("t", "c2"))).as("announced").isTrue();
    }

    @Test
    void aWriteThatFailedAfterItsAnnouncementIsStoredOnceByItsRetry() {
        ClickHouseEventStore store = (ClickHouseEventStore) first.events();
        store.injectFaults(step -> {
            if (step == ClickHouseWriteStep.MARKED) {
                throw new IllegalStateException("injected at " + step);
            }
        });
        try {
            store.write(List.of(llm("acme", "e1")));
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessageContaining("MARKED");
        }
        store.injectFaults(null);

        assertThat(announced("e1")).as("announced before failing").isEqualTo(1);
        assertThat(store.write(List.of(llm("acme", "e1")))).containsExactly(WriteOutcome.STORED);
        assertThat(store.write(List.of(llm("acme", "e1")))).containsExactly(WriteOutcome.DUPLICATE);
        assertThat(storedEvents()).isEqualTo(1);
    }

    @Test
    void anAnnouncementLandingLateWithinTheWindowIsLearnedAtTheNextBatch() {
        ClickHouseKnownIds known = new ClickHouseKnownIds(http, config, clock::get);
        known.catchUp();
        clock.addAndGet(1_000);
        known.catchUp();
        assertThat(known.mayHold(IdFingerprint.of("acme", "late"))).isFalse();

        // another instance's announcement, stamped before this instance's last reading, landing after it
        announceAs("other", NOW_MS + 1_000 - ClickHouseKnownIds.WINDOW_MS + 500, IdFingerprint.of("acme", "late"));
        announceAs("other", NOW_MS - ClickHouseKnownIds.WINDOW_MS - 60_000, IdFingerprint.of("acme", "too-old"));
        clock.addAndGet(1_000);
        known.catchUp();

        assertThat(known.mayHold(IdFingerprint.of("acme", "late"))).isTrue();
        assertThat(known.mayHold(IdFingerprint.of("acme", "too-old"))).as("older than any write in flight").isFalse();
    }

    @Test
    void anInstanceIdleForAnHourReloadsWhatOthersStored() {
        ClickHouseKnownIds known = new ClickHouseKnownIds(http, config, clock::get);
        known.catchUp();
        // stored by another instance at a time this clock reads as long gone: only a reload finds it
        first.events().write(List.of(llm("acme", "e1")));
        clock.addAndGet(ClickHouseKnownIds.RELOAD_AFTER_MS - 1);
        known.catchUp();
        assertThat(known.mayHold(IdFingerprint.of("acme", "e1"))).as("not yet reloaded").isFalse();

        clock.addAndGet(ClickHouseKnownIds.RELOAD_AFTER_MS + 1);
        known.catchUp();
        assertThat(known.mayHold(IdFingerprint.of("acme", "e1"))).isTrue();
        assertThat(known.size()).isEqualTo(1);
    }

    @Test
    void announcementsOlderThanTheKeptDaysAreDroppedOnEveryShard() {
        ClickHouseKnownIds known = new ClickHouseKnownIds(http, config, clock::get);
        long day = 86_400_000L;
        for (int instance = 0; instance < 20; instance++) {
            announceAs("old-" + instance, NOW_MS - (ClickHouseKnownIds.KEEP_DAYS + 1) * day, instance);
            announceAs("kept-" + instance, NOW_MS - (ClickHouseKnownIds.KEEP_DAYS - 1) * day, instance);
        }
        for (var endpoint : config.endpoints()) {
            assertThat(new ClickHouseHttp(List.of(endpoint), ClickHouseStore.settings(config, true))
                    .query("SELECT count() AS n FROM id_announcements_local WHERE instance LIKE 'old-%'").get(0)
                    .longValue("n")).as("old announcements on " + endpoint).isPositive();
        }

        known.pruneDue();

        assertThat(http.query("SELECT count() AS n FROM id_announcements WHERE instance LIKE 'old-%'").get(0)
                .longValue("n")).isZero();
        assertThat(http.query("SELECT count() AS n FROM id_announcements WHERE instance LIKE 'kept-%'").get(0)
                .longValue("n")).isEqualTo(20);
    }

    private void announceAs(String instance, long announcedMs, long fingerprint) {
        http.insert(ClickHouseKnownIds.ANNOUNCEMENTS, "{\"announced_ms\":" + announcedMs + ",\"instance\":\"" + instance
                + "\",\"id_hash\":" + fingerprint + "}\n");
    }

    private long announced(String id) {
        return http.query("SELECT count() AS n FROM id_announcements WHERE id_hash = "
                + IdFingerprint.of("acme", id)).get(0).longValue("n");
    }

    private long storedEvents() {
        return http.query("SELECT count() AS n FROM events FINAL WHERE deleted = 0").get(0).longValue("n");
    }
}
