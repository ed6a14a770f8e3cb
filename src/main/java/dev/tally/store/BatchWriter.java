package dev.tally.store;

import dev.tally.event.Event;
import dev.tally.ingest.WriteOutcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer in front of the event store, with group commit.
 *
 * <p>Every ingest request hands its batch here and waits; the writer thread takes all batches that
 * are waiting, writes them in one transaction and completes each request with its own outcomes.
 * One writer is what makes concurrent duplicates safe (the store sees them in order, in one
 * place), and one commit for many requests is what makes many small requests fast: a DuckDB
 * commit costs the same for one row as for fifty thousand.
 */
public final class BatchWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
    private static final int MAX_EVENTS_PER_COMMIT = 100_000;
    private static final int MAX_WAITING_REQUESTS = 4_096;
    /**
     * Failed writes spent finding a group's bad events before the rest of it is failed (and
     * retried by its clients): each bad event costs about two per halving.
     */
    private static final int MAX_FAILED_WRITES_PER_GROUP = 1_000;

    private final EventStore store;
    private final BlockingQueue<Request> waiting = new LinkedBlockingQueue<>(MAX_WAITING_REQUESTS);
    private final Thread thread;
    private final List<Consumer<Set<String>>> afterWrites = new CopyOnWriteArrayList<>();
    private volatile Consumer<List<Event>> beforeWrite = events -> { };
    private volatile boolean closing;
    private volatile io.micrometer.core.instrument.Timer commits;
    private volatile io.micrometer.core.instrument.DistributionSummary groupSizes;

    /** A batch to write, or (with {@code task}) work that must run with no write in progress. */
    private record Request(List<Event> events, CompletableFuture<List<WriteOutcome>> done,
                           java.util.function.Supplier<?> task, CompletableFuture<Object> taskDone) {
        Request(List<Event> events, CompletableFuture<List<WriteOutcome>> done) {
            this(events, done, null, null);
        }
    }

    public BatchWriter(EventStore store) {
        this.store = store;
        this.thread = new Thread(this::run, "tally-writer");
        this.thread.start();
    }

    /**
     * Hears the tenants of every group once it is written (acknowledged or not: a part may be
     * stored), on the writer's thread: it must return at once (budgets note what to look at again).
     */
    public void afterWrites(Consumer<Set<String>> tenantsWritten) {
        afterWrites.add(tenantsWritten);
    }

    /**
     * Sees every group of events on the writer's thread just before the store writes it, and may
     * rewrite them (erased subjects get their pseudonyms): a rule every store then shares.
     */
    public void beforeWrite(Consumer<List<Event>> rewrite) {
        this.beforeWrite = rewrite;
    }

    /**
     * Runs the task on the writer's thread between two groups, so no write is in progress while it
     * runs and every batch queued after it is written after it; waits for its result.
     */
    @SuppressWarnings("unchecked")
    public <T> T exclusive(java.util.function.Supplier<T> task) {
        CompletableFuture<Object> done = new CompletableFuture<>();
        if (closing) {
            throw new Unavailable("Tally is shutting down; retry against another instance");
        }
        try {
            if (!waiting.offer(new Request(List.of(), null, task, done), 5, TimeUnit.SECONDS)) {
                throw new Unavailable("the ingest queue is full; retry shortly");
            }
            return (T) done.get();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while waiting for the writer");
        } catch (java.util.concurrent.ExecutionException failed) {
            if (failed.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StoreFailure("the writer's task failed: " + failed.getCause(), failed.getCause());
        }
    }

    /** Measures every group commit (how long, how many events) and the requests waiting for the writer. */
    public void instrument(io.micrometer.core.instrument.MeterRegistry registry) {
        commits = io.micrometer.core.instrument.Timer.builder("tally.ingest.commit")
                .description("Writing one group of batches to the store, commit included.")
                .serviceLevelObjectives(java.time.Duration.ofMillis(5), java.time.Duration.ofMillis(10),
                        java.time.Duration.ofMillis(25), java.time.Duration.ofMillis(50), java.time.Duration.ofMillis(100),
                        java.time.Duration.ofMillis(250), java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(1),
                        java.time.Duration.ofSeconds(5))
                .register(registry);
        groupSizes = io.micrometer.core.instrument.DistributionSummary.builder("tally.ingest.group.events")
                .description("Events written in one group commit.").baseUnit("events")
                .serviceLevelObjectives(1, 10, 100, 1_000, 10_000, 100_000).register(registry);
        io.micrometer.core.instrument.Gauge.builder("tally.ingest.queue.depth", waiting, java.util.Collection::size)
                .description("Requests waiting for the writer.").baseUnit("requests").register(registry);
    }

    /** Queues a batch; the future completes once it is durable, or fails with {@link StoreFailure}. */
    public CompletableFuture<List<WriteOutcome>> submit(List<Event> events) {
        CompletableFuture<List<WriteOutcome>> done = new CompletableFuture<>();
        if (events.isEmpty()) {
            done.complete(List.of());
            return done;
        }
        if (closing) {
            done.completeExceptionally(new Unavailable("Tally is shutting down; retry against another instance"));
            return done;
        }
        try {
            if (!waiting.offer(new Request(events, done), 5, TimeUnit.SECONDS)) {
                done.completeExceptionally(new Unavailable("the ingest queue is full; retry shortly"));
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(new Unavailable("interrupted while queueing"));
        }
        return done;
    }

    /**
     * Submits a batch and waits until it is durable. Failures arrive as {@link Unavailable} (retry
     * later) or {@link StoreFailure}, never wrapped, so HTTP layers can map them directly.
     */
    public List<WriteOutcome> write(List<Event> events) {
        try {
            return submit(events).get();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while storing");
        } catch (java.util.concurrent.ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof Unavailable unavailable) {
                throw unavailable;
            }
            if (cause instanceof StoreFailure storeFailure) {
                throw storeFailure;
            }
            throw new StoreFailure("storing the batch failed: " + cause.getMessage(), cause);
        }
    }

    private void run() {
        while (!closing || !waiting.isEmpty()) {
            try {
                Request first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first != null && first.task != null) {
                    runTask(first);
                } else if (first != null) {
                    writeGroup(drainAfter(first));
                } else if (!closing) {
                    store.idle();
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException unexpected) {
                LOG.error("writer loop failed", unexpected);
            }
        }
    }

    private List<Request> drainAfter(Request first) {
        List<Request> group = new ArrayList<>();
        group.add(first);
        int events = first.events.size();
        Request next;
        while (events < MAX_EVENTS_PER_COMMIT && (next = waiting.peek()) != null && next.task == null) {
            group.add(waiting.poll());
            events += next.events.size();
        }
        return group;
    }

    private static void runTask(Request request) {
        try {
            request.taskDone.complete(request.task.get());
        } catch (RuntimeException | Error failure) {
            request.taskDone.completeExceptionally(failure);
        }
    }

    private void writeGroup(List<Request> group) {
        List<Event> all = new ArrayList<>();
        for (Request request : group) {
            all.addAll(request.events);
        }
        try {
            beforeWrite.accept(all);
        } catch (RuntimeException failure) {
            group.forEach(request -> request.done.completeExceptionally(failure));
            return;
        }
        try {
            storeGroup(group, all);
        } finally {
            tellAfterWrites(all);
        }
    }

    private void tellAfterWrites(List<Event> events) {
        if (afterWrites.isEmpty()) {
            return;
        }
        Set<String> tenants = new HashSet<>();
        events.forEach(event -> tenants.add(event.tenantId));
        for (Consumer<Set<String>> listener : afterWrites) {
            try {
                listener.accept(tenants);
            } catch (RuntimeException failure) {
                LOG.warn("a listener of written tenants failed", failure);
            }
        }
    }

    private void storeGroup(List<Request> group, List<Event> all) {
        long started = System.nanoTime();
        try {
            complete(group, store.write(all));
            if (commits != null) {
                commits.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                groupSizes.record(all.size());
            }
            return;
        } catch (RuntimeException failure) {
            LOG.warn("a group of {} events from {} requests was not stored, storing its parts apart: {}",
                    all.size(), group.size(), failure.getMessage());
        }
        // Each write is all or nothing, so writing the group again in parts stores nothing twice.
        // One request's bad event must not fail its neighbours, nor the other events of its own batch.
        Isolation isolation = new Isolation();
        for (Request request : group) {
            try {
                request.done.complete(isolation.write(request.events));
            } catch (RuntimeException failure) {
                LOG.warn("batch of {} events not stored: {}", request.events.size(), failure.getMessage());
                request.done.completeExceptionally(failure);
            }
        }
    }

    private static void complete(List<Request> group, List<WriteOutcome> outcomes) {
        int offset = 0;
        for (Request request : group) {
            request.done.complete(outcomes.subList(offset, offset + request.events.size()));
            offset += request.events.size();
        }
    }

    /**
     * Finds the events that make a write fail by writing halves of a failed batch, in order (a
     * call's states keep their order). An event that fails alone is rejected when the store shows
     * it can still write; otherwise the store is down and the batch fails, to be retried whole.
     */
    private final class Isolation {
        private int failedWrites;

        List<WriteOutcome> write(List<Event> events) {
            try {
                return store.write(events);
            } catch (RuntimeException failure) {
                if (++failedWrites > MAX_FAILED_WRITES_PER_GROUP) {
                    throw failure;
                }
                if (events.size() == 1) {
                    store.probeWrite();
                    LOG.warn("event {} rejected: the store cannot write it: {}", events.get(0).id, failure.getMessage());
                    return List.of(WriteOutcome.REJECTED);
                }
                int half = events.size() / 2;
                List<WriteOutcome> outcomes = new ArrayList<>(write(events.subList(0, half)));
                outcomes.addAll(write(events.subList(half, events.size())));
                return outcomes;
            }
        }
    }

    /** Stops taking batches, writes every batch already queued, then stops the thread. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(TimeUnit.MINUTES.toMillis(2));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        // A request that slipped in as the thread stopped was never written: tell its client to retry.
        Request left;
        while ((left = waiting.poll()) != null) {
            if (left.task != null) {
                left.taskDone.completeExceptionally(new Unavailable("Tally is shutting down; retry"));
                continue;
            }
            left.done.completeExceptionally(new Unavailable("Tally is shutting down; retry"));
        }
    }

    /** Tally cannot take the batch now; the client should retry (503). */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }
}
