package dev.tally.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /v1/whoami: any live key learns its own tenant, scopes, member and id, and nothing else. */
class WhoAmIApiTest {
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

    @Test
    void aTenantMemberKeyLearnsItsTenantScopesAndMember() {
        String key = server.createMemberKey("acme", "mem-1", "members:read", "analytics:read");
        JsonNode me = TestServer.json(ok(server.getWithKey("/v1/whoami", key)));

        assertThat(me.path("tenant_id").asText()).isEqualTo("acme");
        assertThat(me.path("scopes")).extracting(JsonNode::asText).containsExactly("analytics:read", "members:read");
        assertThat(me.path("member_id").asText()).isEqualTo("mem-1");
        assertThat(me.path("key_id").asText()).isNotBlank();
        assertThat(me.path("key_id").asText()).isNotEqualTo(key);
        assertThat(me.toString()).doesNotContain(key);
    }

    @Test
    void aKeyWithoutAnyReadScopeMayStillAsk() {
        String key = server.createKey("acme", "events:write");
        JsonNode me = TestServer.json(ok(server.getWithKey("/v1/whoami", key)));

        assertThat(me.path("scopes")).extracting(JsonNode::asText).containsExactly("events:write");
        assertThat(me.path("member_id").isNull()).isTrue();
    }

    @Test
    void aPlatformKeyHasNoTenant() {
        String key = server.createKey(null, "super-admin");
        JsonNode me = TestServer.json(ok(server.getWithKey("/v1/whoami", key)));

        assertThat(me.path("tenant_id").isNull()).isTrue();
        assertThat(me.path("scopes")).extracting(JsonNode::asText).containsExactly("super-admin");
    }

    @Test
    void missingAndUnknownKeysAre401() {
        assertThat(server.get("/v1/whoami").statusCode()).isEqualTo(401);
        HttpResponse<String> unknown = server.getWithKey("/v1/whoami", "tly_nobody");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(TestServer.json(unknown).path("error").asText()).isEqualTo("unauthorized");
    }

    @Test
    void aRevokedKeyIs401() {
        String key = server.createKey("acme", "analytics:read");
        String id = TestServer.json(ok(server.getWithKey("/v1/whoami", key))).path("key_id").asText();
        HttpResponse<String> revoked = server.send("DELETE", "/admin/api-keys/" + id, null,
                "X-Admin-Token", TestServer.ADMIN_TOKEN);
        assertThat(revoked.statusCode()).isEqualTo(200);

        assertThat(server.getWithKey("/v1/whoami", key).statusCode()).isEqualTo(401);
    }

    private static HttpResponse<String> ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }
}
