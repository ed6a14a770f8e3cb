package dev.tally.concurrent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs one of a report's independent store questions beside the request thread, so a report of
 * two questions waits for the slower, not for both: on a cluster each is a round trip plus its
 * own work on the servers. When every helper thread is busy (many reports at once) the question
 * runs on the caller's thread as it would without this, so a flood of requests never queues here.
 * In a package of its own, below every layer, so a store's reads use it as reports do.
 */
public final class Beside {
    private static final ThreadPoolExecutor HELPERS = new ThreadPoolExecutor(0, 8, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "report-beside");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.CallerRunsPolicy());

    private Beside() {
    }

    /** Starts the question; the answer's {@code get} waits for it and throws what it threw. */
    public static <T> Supplier<T> start(Supplier<T> question) {
        CompletableFuture<T> answer = CompletableFuture.supplyAsync(question, HELPERS);
        return () -> join(answer);
    }

    /** Waits for the answer, throwing what the work threw rather than the future's wrapper of it. */
    public static <T> T join(CompletableFuture<T> answer) {
        try {
            return answer.join();
        } catch (CompletionException failure) {
            if (failure.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure.getCause() instanceof Error error) {
                throw error;
            }
            throw failure;
        }
    }
}
