package dev.tally.app;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts requests in flight and, once draining, refuses new ones with a 503 so that shutdown can
 * wait for the count to reach zero: every request then either finishes with its answer or is told
 * to retry before it touches anything.
 *
 * <p>A servlet filter around every request, static files included, counting in a
 * {@code try/finally}: Javalin's before and after handlers do not pair up for static files, and a
 * count that only goes up made every shutdown after a dashboard visit wait its whole limit.
 */
final class Drain implements Filter {
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // Count first, then check: checking first would let a request slip in after awaitIdle saw zero.
        inFlight.incrementAndGet();
        try {
            if (draining) {
                refuse((HttpServletResponse) response);
                return;
            }
            chain.doFilter(request, response);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static void refuse(HttpServletResponse response) throws IOException {
        response.setStatus(503);
        response.setHeader("Retry-After", "1");
        response.setContentType("application/json");
        response.getOutputStream().write(("{\"error\":\"unavailable\",\"field\":null,\"reason\":\"Tally is shutting"
                + " down; retry against another instance\",\"message\":\"Tally is shutting down; retry against"
                + " another instance\"}").getBytes(StandardCharsets.UTF_8));
    }

    int inFlight() {
        return inFlight.get();
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
