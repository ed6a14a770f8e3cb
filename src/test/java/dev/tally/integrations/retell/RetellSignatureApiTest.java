package dev.tally.integrations.retell;

import static dev.tally.integrations.retell.RetellWebhooks.API_KEY;
import static dev.tally.integrations.retell.RetellWebhooks.CLOCK;
import static dev.tally.integrations.retell.RetellWebhooks.ROUTE;
import static dev.tally.integrations.retell.RetellWebhooks.fixture;
import static dev.tally.integrations.retell.RetellWebhooks.signature;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code x-retell-signature} against a real server: only a signature of the body with the tenant's
 * Retell API key, made within five minutes of now, is let in; anything else is a 401 that says the
 * same whether the tenant exists, has no Retell key or has another one, and stores nothing.
 */
class RetellSignatureApiTest {
    private static final long NOW = CLOCK.millis();
    private static final long FIVE_MINUTES = 5 * 60 * 1000;

    private static TestServer server;
    private static RetellWebhooks webhooks;
    private static String acmeReader;

    @BeforeAll
    static void start() {
        server = RetellWebhooks.startServer();
        webhooks = new RetellWebhooks(server);
        acmeReader = server.createKey("acme", "analytics:read");
        server.createTenant("initrode", "Initrode");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static int status(String body, String signature) {
        return webhooks.post(ROUTE, body, signature).statusCode();
    }

    @Test
    void aSignatureMadeByRetellsSdkIsLetIn() {
        // made with retell-sdk 5.66.1: symmetric.sign(body, 'key_retell_vector', 1773575940000), a minute before now
        String body = "{\"event\":\"call_started\",\"call\":{\"call_id\":\"sdk-vector\"}}";
        String header = "v=1773575940000,d=9deb02d2d5de0bb78123a374f375e91c5d1a67c8a13c6a1227026544999d81f9";
        HttpResponse<String> set = server.send("PUT", "/admin/tenants/globex/integrations/retell",
                "{\"secret\": \"key_retell_vector\"}", "X-Admin-Token", TestServer.ADMIN_TOKEN);
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);

        HttpResponse<String> response = webhooks.post("/v1/integrations/retell/globex", body, header);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(TestServer.json(response).path("ignored").asBoolean()).isTrue();
        assertThat(status(body, header)).as("the same signature for acme, whose key is another").isEqualTo(401);
        // the SDK reads the timestamp as a number: leading zeros are not part of what it signs
        assertThat(webhooks.post("/v1/integrations/retell/globex", body, header.replace("v=", "v=00")).statusCode())
                .isEqualTo(200);
        assertThat(webhooks.post("/v1/integrations/retell/globex", body, header.toUpperCase(Locale.ROOT))
                .statusCode()).as("the SDK's pattern ignores case").isEqualTo(200);
    }

    @Test
    void aSignatureWithinFiveMinutesEitherWayIsLetIn() {
        String body = fixture("call-started.json");
        assertThat(status(body, signature(body, API_KEY, NOW))).isEqualTo(200);
        assertThat(status(body, signature(body, API_KEY, NOW - FIVE_MINUTES))).isEqualTo(200);
        assertThat(status(body, signature(body, API_KEY, NOW + FIVE_MINUTES))).isEqualTo(200);
    }

    @Test
    void anExpiredWrongMissingOrMalformedSignatureIsRefused() {
        String body = fixture("call-started.json");
        String valid = signature(body, API_KEY, NOW);
        String digest = valid.substring(valid.indexOf(",d=") + 3);
        assertRefused(body, signature(body, API_KEY, NOW - FIVE_MINUTES - 1), "five minutes");
        assertRefused(body, signature(body, API_KEY, NOW + FIVE_MINUTES + 1), "five minutes");
        assertRefused(body, signature(body, API_KEY + "x", NOW), "Retell API key");
        assertRefused(body + " ", valid, "Retell API key");
        assertRefused(body, null, "x-retell-signature");
        assertRefused(body, "", "x-retell-signature");
        for (String malformed : new String[] {"v=" + NOW, "d=" + digest, "d=" + digest + ",v=" + NOW,
                "v=" + NOW + ",d=" + digest.substring(1), "v=" + NOW + ",d=" + digest + "00",
                "v=" + NOW + ",d=" + digest.substring(2) + "zz", "v=-" + NOW + ",d=" + digest,
                "v=" + NOW + ".5,d=" + digest, "v=" + NOW + ",d=" + digest + ",v=" + NOW,
                "v=" + NOW + ", d=" + digest, "v=9007199254740992,d=" + digest, "v=" + "9".repeat(400) + ",d=" + digest,
                "t=" + NOW + ",v1=" + digest}) {
            assertRefused(body, malformed, "v=<timestamp in ms>");
        }
    }

    @Test
    void theAnswerIsTheSameWhateverTheTenantAndARefusedWebhookStoresNothing() {
        String body = fixture("call-ended.json").replace("Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6", "retell-unsigned");
        String acmeSigned = signature(body, API_KEY, NOW);
        HttpResponse<String> wrongKey = webhooks.post(ROUTE, body, signature(body, "another key", NOW));
        HttpResponse<String> noKey = webhooks.post("/v1/integrations/retell/initrode", body, acmeSigned);
        HttpResponse<String> noTenant = webhooks.post("/v1/integrations/retell/initech", body, acmeSigned);

        for (HttpResponse<String> response : List.of(wrongKey, noKey, noTenant)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
            assertThat(response.body()).isEqualTo(wrongKey.body());
        }
        assertThat(webhooks.stored("retell-unsigned", acmeReader)).isFalse();
        assertThat(status(body, acmeSigned)).isEqualTo(200);
        assertThat(webhooks.stored("retell-unsigned", acmeReader)).isTrue();
    }

    private static void assertRefused(String body, String signature, String reason) {
        HttpResponse<String> response = webhooks.post(ROUTE, body, signature);
        assertThat(response.statusCode()).as(signature + ": " + response.body()).isEqualTo(401);
        assertThat(TestServer.json(response).path("reason").asText()).as(signature).contains(reason);
    }
}
