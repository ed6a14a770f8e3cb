package dev.tally.fairness;

import dev.tally.http.ApiError;
import io.javalin.http.Context;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Answers a refused request when it may be retried, without a thread waiting for it. A client that
 * ignores {@code Retry-After} and asks again at once would otherwise be refused thousands of times a
 * second, and those refusals (and its own retries) take the cores every other tenant's requests
 * need; held, each of its connections asks at most once per hold. A client that honours
 * {@code Retry-After} loses nothing: it is answered when it could have asked again.
 */
final class RefusalHold implements AutoCloseable {
    /** Past this many held at once, refusals are answered at once: a hold must not become a memory sink. */
    static final int MAX_HELD = 10_000;
    /** Every refusal says {@code Retry-After} of a second or more: a second's hold delays no client that honours it. */
    static final long LONGEST_MILLIS = 1_000;

    private final long holdMillis;
    private final Semaphore places = new Semaphore(MAX_HELD);
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tally-refusal-hold");
        thread.setDaemon(true);
        return thread;
    });

    /** @param holdMillis the longest a refusal is held; 0 answers every refusal at once */
    RefusalHold(long holdMillis) {
        this.holdMillis = holdMillis;
    }

    /** Answers {@code refusal} after {@code retryAfterSeconds} (at most the hold), or throws it now. */
    void refuse(Context context, ApiError refusal, long retryAfterSeconds) {
        long millis = Math.min(holdMillis, TimeUnit.SECONDS.toMillis(retryAfterSeconds));
        if (millis <= 0 || !places.tryAcquire()) {
            throw refusal;
        }
        CompletableFuture<Void> answer = new CompletableFuture<>();
        try {
            clock.schedule(() -> {
                places.release();
                answer.completeExceptionally(refusal);
            }, millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            places.release();
            throw refusal;
        }
        context.future(() -> answer);
        context.skipRemainingHandlers();
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }
}
