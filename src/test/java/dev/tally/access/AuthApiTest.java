package dev.tally.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.MutableClock;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Who may call: every bad credential is a 401, a good key without the scope a 403. */
class AuthApiTest {
    private static final String EVENT = """
            {"id": "e1", "type": "chat", "time": "2026-03-15T10:00:00Z"}""";
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-15T12:00:00Z"));
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(CLOCK);
        server.createTenant("acme", "Acme");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> postEvent(String... headers) {
        return server.post("/v1/events", EVENT, headers);
    }

    @Test
    void liveKeyWithTheScopeIsAccepted() {
        String key = server.createKey("acme", "events:write");
        assertThat(postEvent("Authorization", "Bearer " + key).statusCode()).isEqualTo(200);
    }

    @Test
    void missingHeaderIs401() {
        HttpResponse<String> response = postEvent();
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(TestServer.json(response).path("error").asText()).isEqualTo("unauthorized");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void malformedHeaderIs401() {
        String key = server.createKey("acme", "events:write");
        assertThat(postEvent("Authorization", "Token " + key).statusCode()).isEqualTo(401);
        assertThat(postEvent("Authorization", "Bearer ").statusCode()).isEqualTo(401);
        assertThat(postEvent("Authorization", key).statusCode()).isEqualTo(401);
    }

    @Test
    void unknownKeyIs401() {
        assertThat(postEvent("Authorization", "Bearer tly_doesNotExist0000000000000000000").statusCode())
                .isEqualTo(401);
    }

    @Test
    void revokedKeyIs401() {
        JsonNode created = createKey("""
                {"name": "to revoke", "tenant_id": "acme", "scopes": ["events:write"]}""");
        String secret = created.path("key").asText();
        assertThat(postEvent("Authorization", "Bearer " + secret).statusCode()).isEqualTo(200);

        HttpResponse<String> revoked = server.send("DELETE", "/admin/api-keys/" + created.path("id").asText(), null,
                "X-Admin-Token", TestServer.ADMIN_TOKEN);

        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(postEvent("Authorization", "Bearer " + secret).statusCode()).isEqualTo(401);
        HttpResponse<String> again = server.send("DELETE", "/admin/api-keys/" + created.path("id").asText(), null,
                "X-Admin-Token", TestServer.ADMIN_TOKEN);
        assertThat(again.statusCode()).isEqualTo(404);
    }

    @Test
    void expiredKeyIs401() {
        JsonNode created = createKey("""
                {"name": "short", "tenant_id": "acme", "scopes": ["events:write"], "expires_in_days": 1}""");
        String secret = created.path("key").asText();
        CLOCK.advance(Duration.ofDays(1).minusMillis(1));
        assertThat(postEvent("Authorization", "Bearer " + secret).statusCode()).isEqualTo(200);

        CLOCK.advance(Duration.ofMillis(1));

        assertThat(postEvent("Authorization", "Bearer " + secret).statusCode()).isEqualTo(401);
    }

    @Test
    void keyWithoutTheScopeIs403() {
        String key = server.createKey("acme", "analytics:read");
        HttpResponse<String> response = postEvent("Authorization", "Bearer " + key);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(TestServer.json(response).path("reason").asText()).contains("events:write");
    }

    @Test
    void adminEndpointsNeedTheAdminToken() {
        assertThat(server.get("/admin/tenants").statusCode()).isEqualTo(401);
        assertThat(server.get("/admin/tenants", "X-Admin-Token", "wrong").statusCode()).isEqualTo(401);
        assertThat(server.get("/admin/api-keys", "X-Admin-Token", "wrong").statusCode()).isEqualTo(401);
        assertThat(server.get("/admin/prices", "X-Admin-Token", "").statusCode()).isEqualTo(401);
        assertThat(server.post("/admin/tenants", "{\"id\": \"evil\", \"name\": \"Evil\"}").statusCode())
                .isEqualTo(401);
        assertThat(server.post("/admin/api-keys", "{\"name\": \"k\", \"scopes\": [\"super-admin\"]}",
                "X-Admin-Token", "wrong").statusCode()).isEqualTo(401);
        assertThat(server.send("DELETE", "/admin/api-keys/key_x", null).statusCode()).isEqualTo(401);
        assertThat(server.get("/admin/tenants", "X-Admin-Token", TestServer.ADMIN_TOKEN).statusCode())
                .isEqualTo(200);
    }

    @Test
    void anApiKeyIsNotAnAdminToken() {
        String key = server.createKey(null, "super-admin");
        assertThat(server.get("/admin/tenants", "Authorization", "Bearer " + key).statusCode()).isEqualTo(401);
        assertThat(server.get("/admin/tenants", "X-Admin-Token", key).statusCode()).isEqualTo(401);
    }

    private static JsonNode createKey(String body) {
        HttpResponse<String> response = server.post("/admin/api-keys", body, "X-Admin-Token", TestServer.ADMIN_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestServer.json(response);
    }
}
