package dev.tally.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.auth.Principal;
import dev.tally.ingest.api.IngestResult;
import dev.tally.ingest.api.IngestService;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Sends demo events through the ingest service in NDJSON batches, exactly as a platform would post
 * them: same parser, same pricing, same writer. Two batches are sent at a time, like two clients,
 * so that parsing one overlaps storing the other and the writer can commit them together. A
 * rejected demo event is a bug in the demo, so it fails the load instead of leaving a silently
 * thinner dataset.
 */
final class NdjsonBatches implements Consumer<ObjectNode>, AutoCloseable {
    private static final String NDJSON = "application/x-ndjson";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int SENDERS = 2;

    private final IngestService ingest;
    private final Principal principal;
    private final int batchSize;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 20);
    private final ExecutorService senders = Executors.newFixedThreadPool(SENDERS, work -> {
        Thread thread = new Thread(work, "tally-demo-ingest");
        thread.setDaemon(true);
        return thread;
    });
    /** Bounds the batches built but not yet stored, so memory stays flat however large the demo. */
    private final Semaphore inFlight = new Semaphore(SENDERS * 2);
    private final List<Future<IngestResult>> sent = new ArrayList<>();
    private int pending;

    NdjsonBatches(IngestService ingest, Principal principal, int batchSize) {
        this.ingest = ingest;
        this.principal = principal;
        this.batchSize = batchSize;
    }

    @Override
    public void accept(ObjectNode event) {
        try {
            body.writeBytes(MAPPER.writeValueAsBytes(event));
        } catch (JsonProcessingException impossible) {
            throw new UncheckedIOException(impossible);
        }
        body.write('\n');
        if (++pending == batchSize) {
            send();
        }
    }

    private void send() {
        byte[] batch = body.toByteArray();
        body.reset();
        pending = 0;
        inFlight.acquireUninterruptibly();
        sent.add(senders.submit(() -> {
            try {
                return ingest.ingest(principal, batch, NDJSON);
            } finally {
                inFlight.release();
            }
        }));
    }

    /** Sends what is left, waits for every batch to be stored, and adds up what happened. */
    DemoLoader.Summary finish(long startedNanos) {
        if (pending > 0) {
            send();
        }
        long accepted = 0;
        long duplicates = 0;
        for (Future<IngestResult> future : sent) {
            IngestResult result = stored(future);
            if (result.rejected() > 0) {
                IngestResult.Item first = result.results().stream()
                        .filter(item -> "rejected".equals(item.status())).findFirst().orElseThrow();
                throw new IllegalStateException("demo event " + first.id() + " was rejected: " + first.field() + " "
                        + first.reason());
            }
            accepted += result.accepted();
            duplicates += result.duplicates();
        }
        return new DemoLoader.Summary(accepted, duplicates,
                Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    private static IngestResult stored(Future<IngestResult> future) {
        try {
            return future.get();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the demo", interrupted);
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("loading the demo failed", failed.getCause());
        }
    }

    @Override
    public void close() {
        senders.shutdownNow();
    }
}
