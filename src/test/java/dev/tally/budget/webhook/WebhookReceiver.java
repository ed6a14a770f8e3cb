package dev.tally.budget.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook endpoint for tests, flaky on purpose: it answers the planned statuses in turn
 * ({@link #HANG}: no answer for longer than Tally waits), then 200, and checks every request's
 * Standard Webhooks signature with its own implementation of the scheme.
 */
final class WebhookReceiver implements AutoCloseable {
    static final int HANG = -1;
    private static final long HANG_MS = 3_000;

    /** One request as it arrived, what it was answered, and whether its signature held. */
    record Received(String id, String timestamp, String signature, String contentType, String body, int answered,
                    boolean signatureValid) {
    }

    private final HttpServer server;
    private final Queue<Integer> plan = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile String secret;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/hook", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The secret signatures are checked with: the one the webhook was created with. */
    void secret(String secret) {
        this.secret = secret;
    }

    /** The next requests are answered with these statuses in turn; after them, 200. */
    void plan(Integer... statuses) {
        plan.addAll(List.of(statuses));
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    /** The requests answered 2xx: each is a delivery the receiver took. */
    List<Received> accepted() {
        return received.stream().filter(request -> request.answered() >= 200 && request.answered() < 300).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
        String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
        Integer planned = plan.poll();
        int status = planned == null ? 200 : planned;
        received.add(new Received(id, timestamp, signature, exchange.getRequestHeaders().getFirst("Content-Type"),
                body, status, verifies(id, timestamp, body, signature)));
        if (status == HANG) {
            try {
                Thread.sleep(HANG_MS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            status = 200;
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** The scheme read from the specification, not Tally's code: HMAC-SHA256 under the secret's decoded bytes. */
    private boolean verifies(String id, String timestamp, String body, String header) {
        if (secret == null || id == null || timestamp == null || header == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.replaceFirst("^whsec_", "")), "HmacSHA256"));
            byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            for (String signature : header.split(" ")) {
                String[] parts = signature.split(",", 2);
                if (parts.length == 2 && parts[0].equals("v1")
                        && MessageDigest.isEqual(expected, Base64.getDecoder().decode(parts[1]))) {
                    return true;
                }
            }
            return false;
        } catch (java.security.GeneralSecurityException | IllegalArgumentException broken) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
