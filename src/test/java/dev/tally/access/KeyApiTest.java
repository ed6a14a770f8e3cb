package dev.tally.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.auth.KeySecrets;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issuing keys: each bad request a 400 naming the field; the secret shown once. */
class KeyApiTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC));
        server.createTenant("acme", "Acme");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> create(String body) {
        return server.post("/admin/api-keys", body, "X-Admin-Token", TestServer.ADMIN_TOKEN);
    }

    private static void assertBadRequest(HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(TestServer.json(response).path("field").asText()).isEqualTo(field);
    }

    @Test
    void createdKeyExpiresAfterTheGivenDays() {
        HttpResponse<String> response = create("""
                {"name": "ingest", "tenant_id": "acme", "scopes": ["events:write"], "expires_in_days": 7}""");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode key = TestServer.json(response);
        assertThat(key.path("tenant_id").asText()).isEqualTo("acme");
        assertThat(key.path("created_at").asText()).isEqualTo("2026-03-15T12:00:00Z");
        assertThat(key.path("expires_at").asText()).isEqualTo("2026-03-22T12:00:00Z");
        assertThat(key.path("key").asText()).startsWith("tly_");
    }

    @Test
    void expiryOutsideOneTo365DaysIs400() {
        assertBadRequest(create("""
                {"name": "k", "tenant_id": "acme", "scopes": ["events:write"], "expires_in_days": 0}"""),
                "expires_in_days");
        assertBadRequest(create("""
                {"name": "k", "tenant_id": "acme", "scopes": ["events:write"], "expires_in_days": 366}"""),
                "expires_in_days");
        assertBadRequest(create("""
                {"name": "k", "tenant_id": "acme", "scopes": ["events:write"], "expires_in_days": "ten"}"""),
                "expires_in_days");
        assertThat(create("""
                {"name": "k", "tenant_id": "acme", "scopes": ["events:write"], "expires_in_days": 365}""")
                .statusCode()).isEqualTo(201);
    }

    @Test
    void unknownScopeIs400() {
        assertBadRequest(create("""
                {"name": "k", "tenant_id": "acme", "scopes": ["events:delete"]}"""), "scopes");
        assertBadRequest(create("""
                {"name": "k", "tenant_id": "acme", "scopes": []}"""), "scopes");
    }

    @Test
    void superAdminWithATenantIs400() {
        assertBadRequest(create("""
                {"name": "k", "tenant_id": "acme", "scopes": ["super-admin"]}"""), "scopes");
    }

    @Test
    void unknownTenantIs400() {
        assertBadRequest(create("""
                {"name": "k", "tenant_id": "nobody", "scopes": ["events:write"]}"""), "tenant_id");
    }

    @Test
    void missingNameIs400() {
        assertBadRequest(create("""
                {"tenant_id": "acme", "scopes": ["events:write"]}"""), "name");
    }

    @Test
    void malformedBodyIs400() {
        assertBadRequest(create("{not json"), "body");
    }

    @Test
    void secretIsShownOnceAndNeverListed() {
        HttpResponse<String> response = create("""
                {"name": "listed", "tenant_id": "acme", "scopes": ["analytics:read"]}""");
        JsonNode created = TestServer.json(response);
        String secret = created.path("key").asText();

        HttpResponse<String> listed = server.get("/admin/api-keys", "X-Admin-Token", TestServer.ADMIN_TOKEN);

        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(secret);
        assertThat(listed.body()).doesNotContain(KeySecrets.hash(secret));
        JsonNode entry = null;
        for (JsonNode key : TestServer.json(listed).path("api_keys")) {
            if (key.path("id").asText().equals(created.path("id").asText())) {
                entry = key;
            }
        }
        assertThat(entry).isNotNull();
        assertThat(entry.has("key")).isFalse();
        assertThat(entry.path("prefix").asText()).isEqualTo(secret.substring(0, 12));
        assertThat(entry.path("scopes").get(0).asText()).isEqualTo("analytics:read");
    }
}
