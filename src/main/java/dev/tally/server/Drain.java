package dev.tally.server;

import dev.tally.ingest.BatchWriter;
import io.javalin.Javalin;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts requests in flight and, once draining, refuses new ones with a 503 so that shutdown can
 * wait for the count to reach zero: every request then either finishes with its answer or is told
 * to retry before it touches anything.
 */
final class Drain {
    private static final String COUNTED = "tally.counted";
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    void install(Javalin app) {
        app.before(context -> {
            // Count first, then check: checking first would let a request slip in after awaitIdle saw zero.
            inFlight.incrementAndGet();
            if (draining) {
                inFlight.decrementAndGet();
                throw new BatchWriter.Unavailable("Tally is shutting down; retry against another instance");
            }
            context.attribute(COUNTED, Boolean.TRUE);
        });
        app.after(context -> {
            if (Boolean.TRUE.equals(context.attribute(COUNTED))) {
                context.attribute(COUNTED, Boolean.FALSE);
                inFlight.decrementAndGet();
            }
        });
    }

    void awaitIdle(long maxMillis) {
        draining = true;
        long deadline = System.currentTimeMillis() + maxMillis;
        while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
