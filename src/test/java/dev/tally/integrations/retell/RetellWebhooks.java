package dev.tally.integrations.retell;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends Retell webhooks to a test server signed as Retell signs them, written here apart from
 * {@link RetellSignature} so a mistake in one is not repeated in the other: HMAC-SHA256 keyed with
 * the API key over the body followed by the timestamp in ms, sent as {@code v=<ms>,d=<hex>}.
 */
public final class RetellWebhooks {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);
    static final String API_KEY = "key_retell_acme_3f9a1c";
    static final String ROUTE = "/v1/integrations/retell/acme";

    private final TestServer server;

    RetellWebhooks(TestServer server) {
        this.server = server;
    }

    /** Starts a server on {@link #CLOCK} with tenants acme (whose Retell API key is set) and globex (none). */
    static TestServer startServer() {
        TestServer server = TestServer.start(CLOCK);
        server.createTenant("acme", "Acme");
        server.createTenant("globex", "Globex");
        HttpResponse<String> set = server.send("PUT", "/admin/tenants/acme/integrations/retell",
                "{\"secret\": \"" + API_KEY + "\"}", "X-Admin-Token", TestServer.ADMIN_TOKEN);
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        return server;
    }

    static String fixture(String name) {
        try (InputStream input = RetellWebhooks.class.getResourceAsStream(name)) {
            return new String(input.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    /** The header Retell sends with the body: also used by the fuzz corpus to reach the receiver. */
    public static String signature(String body, String key, long timestampMs) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((body + timestampMs).getBytes(StandardCharsets.UTF_8));
            return "v=" + timestampMs + ",d=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException unavailable) {
            throw new IllegalStateException(unavailable);
        }
    }

    /** Posts the body signed now with acme's API key. */
    HttpResponse<String> post(String body) {
        return post(ROUTE, body, signature(body, API_KEY, CLOCK.millis()));
    }

    /** Posts the body with that signature header (none when null) and lets the store settle. */
    HttpResponse<String> post(String route, String body, String signature) {
        HttpResponse<String> response = signature == null
                ? server.post(route, body, "Content-Type", "application/json")
                : server.post(route, body, "Content-Type", "application/json", "X-Retell-Signature", signature);
        server.settleWrites();
        return response;
    }

    /** The call's cost report, read with the key; status code asserted. */
    JsonNode cost(String callId, String readerKey) {
        HttpResponse<String> response = server.getWithKey("/v1/analytics/calls/" + callId + "/cost", readerKey);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response);
    }

    boolean stored(String callId, String readerKey) {
        return server.getWithKey("/v1/analytics/calls/" + callId + "/cost", readerKey).statusCode() != 404;
    }
}
