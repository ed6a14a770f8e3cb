package dev.tally.store;

import dev.tally.event.Event;
import dev.tally.ingest.WriteOutcome;
import java.util.List;

/**
 * Where events live. DuckDB embedded is the default; ClickHouse is the scale-out store. Every
 * implementation runs the same contract test suite, so reports can treat them as one.
 *
 * <p>Writes are exactly-once by (tenant, id): a store must recognise an id it already holds,
 * across retries, restarts and duplicates inside one batch. {@link #write} is called by a single
 * writer thread ({@code dev.tally.store.BatchWriter}), so implementations need no locking for it;
 * queries may come from any thread.
 */
public interface EventStore extends ReportStore, AutoCloseable {

    /**
     * Stores a batch all or nothing and returns, position by position, what happened to each
     * event. It returns only once the batch is durable; an exception means nothing was stored.
     */
    List<WriteOutcome> write(List<Event> events);

    /**
     * Called by the writer thread when no batch has been waiting for a moment: a store may tidy up
     * now (fold its rollup deltas) rather than in the middle of a burst of writes. Must not fail.
     */
    default void idle() {
    }

    /**
     * Called once a server starts taking writes: a store may begin loading what its writes need
     * (ClickHouse: every stored id's fingerprint), so that the first write does not wait for it.
     * Returns at once; must not fail.
     */
    default void prepareWrites() {
    }

    /**
     * Whether the store can commit a write now, asked after a write failed: a store that can has
     * a batch holding an event it cannot store; one that cannot is down, and its writes should be
     * retried. Throws when it cannot, and by default: a store that cannot tell is taken to be down,
     * so a failed write is retried rather than an event rejected.
     */
    default void probeWrite() {
        throw new StoreFailure("the " + name() + " store cannot tell whether it can write", null);
    }

    /** The store's name for health output and logs, e.g. {@code duckdb}. */
    /** Starts measuring into the server's registry ({@link StoreMeters}); a store that measures nothing ignores it. */
    default void instrument(io.micrometer.core.instrument.MeterRegistry registry) {
    }

    String name();

    /**
     * Each server the store relies on, by name, with whether it answers a trivial query now:
     * ClickHouse names every endpoint, an embedded store itself.
     */
    default java.util.Map<String, Boolean> dependencies() {
        boolean answers;
        try {
            query(new dev.tally.store.sql.Sql("SELECT 1 AS one", java.util.List.of()));
            answers = true;
        } catch (RuntimeException failure) {
            answers = false;
        }
        return java.util.Map.of(name(), answers);
    }

    /**
     * Writes a consistent copy of everything stored into {@code directory} (which must not hold
     * one already) while the store goes on serving; false when this store keeps no such copies
     * of its own (ClickHouse: its own {@code BACKUP} or a replica).
     */
    default boolean backup(java.nio.file.Path directory) {
        return false;
    }

    /**
     * Removes everything the store holds of the tenant: its events, calls, rollups and derived
     * rows, its keys, prices, secrets and budgets, and the tenant itself. Returns the rows removed
     * per table where the store can count them (-1 where it cannot: ClickHouse removes them in the
     * background of its mutations, finished when this returns).
     */
    java.util.Map<String, Long> deleteTenant(String tenantId);

    /** Whether {@link #deleteRawBefore} is available on this store. */
    default boolean deletesRawRows() {
        return false;
    }

    /**
     * Retention: deletes the tenant's raw events and calls before the horizon, keeping what was
     * made from them (rollups, per-call cost rows), so every aggregate keeps its totals. Called on
     * the writer's thread. Returns the rows deleted per table.
     */
    default java.util.Map<String, Long> deleteRawBefore(String tenantId, long horizonMs) {
        throw new UnsupportedOperationException("the " + name() + " store does not delete raw rows by age");
    }

    /**
     * The instant before which a new event of the tenant could no longer be counted, where a
     * retention run made it so (ClickHouse never recomputes the hours before a horizon it deleted
     * raw rows at, even once the retention is lengthened); empty where any time can be written.
     * Ingest refuses earlier events, as it does those before the tenant's retention horizon.
     */
    default java.util.OptionalLong writableFrom(String tenantId) {
        return java.util.OptionalLong.empty();
    }

    /**
     * Whether {@link #erase} rewrites everything or nothing (one transaction); a store that cannot
     * may leave a failed erasure done in part, finished by submitting it again.
     */
    default boolean erasesAtomically() {
        return false;
    }

    /** Whether {@link #erase} is available on this store. */
    default boolean erases() {
        return false;
    }

    /**
     * Replaces the subject's identifier by its pseudonym in every table that holds it (raw rows,
     * rollups, per-call rows), drops the free attributes and SMS bodies of the events that named it,
     * and records the subject as erased, all at once: amounts are untouched, so every total stays.
     * Called on the writer's thread ({@code BatchWriter.exclusive}), so no write runs meanwhile.
     * Returns the rows rewritten per table.
     */
    default java.util.Map<String, Long> erase(SubjectErasure erasure) {
        throw new UnsupportedOperationException("the " + name() + " store does not erase subjects");
    }

    /** Every subject erased so far, so that events written later that name one are stored under its pseudonym. */
    default java.util.List<ErasedSubject> erasedSubjects() {
        return java.util.List.of();
    }

    @Override
    void close();
}
