package dev.tally.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cap on the request body bytes all requests hold at once. Each request with a body reserves
 * its length (a body of unknown length reserves the largest one allowed) before anything reads it,
 * and gives it back when it is answered; one that does not fit is answered 503 with
 * {@code Retry-After} without being read. Twenty large bodies at once then queue at the door
 * instead of filling the heap: without it, a 2 GiB server ran out of memory and stopped answering
 * its health check for minutes.
 */
public final class BodyBudget implements Filter {
    private final long capBytes;
    private final long maxBodyBytes;
    private final AtomicLong reserved = new AtomicLong();

    public BodyBudget(long capBytes, long maxBodyBytes) {
        this.capBytes = capBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long size = bodySize((HttpServletRequest) request);
        if (size == 0) {
            chain.doFilter(request, response);
            return;
        }
        if (reserved.addAndGet(size) > capBytes) {
            reserved.addAndGet(-size);
            refuse((HttpServletResponse) response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            reserved.addAndGet(-size);
        }
    }

    /** What the body may take: its declared length (at most the largest allowed: more is a 413 anyway). */
    private long bodySize(HttpServletRequest request) {
        long declared = request.getContentLengthLong();
        if (declared == 0) {
            return 0;
        }
        if (declared < 0) {
            String chunked = request.getHeader("Transfer-Encoding");
            return chunked == null ? 0 : maxBodyBytes;
        }
        return Math.min(declared, maxBodyBytes);
    }

    private static void refuse(HttpServletResponse response) throws IOException {
        response.setStatus(503);
        response.setHeader("Retry-After", "1");
        // the body was not read: the connection cannot carry another request
        response.setHeader("Connection", "close");
        response.setContentType("application/json");
        String reason = "Tally holds as many request bodies as its memory allows; retry shortly";
        response.getOutputStream().write(("{\"error\":\"unavailable\",\"field\":\"body\",\"reason\":\"" + reason
                + "\",\"message\":\"body: " + reason + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
