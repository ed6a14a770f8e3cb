package dev.tally.store.duckdb;

import dev.tally.concurrent.Beside;
import dev.tally.event.Event;
import dev.tally.store.rollup.Rollups;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Counts a write's new events into its rollup deltas on a thread of its own while the writer thread
 * runs the write's statements (the chats' owners read, the replaced rows deleted, the same events
 * handed to DuckDB's Appender). The writer is ingest's bottleneck on two cores, and the other core
 * was idle a third of the time: counting took a tenth of the writer's CPU (the group keys built and
 * hashed per event and table), and none of it needs the connection. Sums, minimums and maximums
 * do not depend on the order events are counted in, so the replaced rows are taken back first.
 *
 * <p>The deltas are the writer's alone again once {@link Counting#await} returns, which every path
 * out of those statements calls, a failed one included, so no thread touches them after the write.
 */
final class DeltasBeside implements AutoCloseable {
    /** Below this many events the hand-over costs more than it saves, and a small write's latency counts. */
    static final int MINIMUM_EVENTS = 512;

    /** One thread, let go after a quiet half minute: a store that writes little keeps none. */
    private final ThreadPoolExecutor counter = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), task -> {
                Thread thread = new Thread(task, "tally-deltas");
                thread.setDaemon(true);
                return thread;
            });

    DeltasBeside() {
        counter.allowCoreThreadTimeOut(true);
    }

    /** The count under way; {@link #await} before the deltas are read or changed again. */
    interface Counting {
        void await();
    }

    /** Starts adding {@code events} to {@code deltas}: beside the caller, or at once for a small write. */
    Counting count(List<Event> events, Rollups.Deltas deltas) {
        if (events.size() < MINIMUM_EVENTS) {
            events.forEach(deltas::add);
            return () -> { };
        }
        CompletableFuture<Void> counted = CompletableFuture.runAsync(() -> events.forEach(deltas::add), counter);
        return () -> Beside.join(counted);
    }

    @Override
    public void close() {
        counter.shutdown();
    }
}
