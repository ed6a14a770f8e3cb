package dev.tally.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TenantApiTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> admin(String method, String path, String body) {
        return server.send(method, path, body, "X-Admin-Token", TestServer.ADMIN_TOKEN);
    }

    @Test
    void createIs201WithDefaults() {
        HttpResponse<String> response = admin("POST", "/admin/tenants", """
                {"id": "initech", "name": "Initech"}""");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode tenant = TestServer.json(response);
        assertThat(tenant.path("id").asText()).isEqualTo("initech");
        assertThat(tenant.path("name").asText()).isEqualTo("Initech");
        assertThat(tenant.path("created_at").asText()).isEqualTo("2026-03-15T12:00:00Z");
        assertThat(tenant.path("store_sms_bodies").asBoolean()).isFalse();
        assertThat(tenant.path("max_concurrent_calls").isNull()).isTrue();
    }

    @Test
    void createWithSettings() {
        HttpResponse<String> response = admin("POST", "/admin/tenants", """
                {"id": "hooli", "name": "Hooli", "max_concurrent_calls": 5, "store_sms_bodies": true}""");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode fetched = TestServer.json(admin("GET", "/admin/tenants/hooli", null));
        assertThat(fetched.path("max_concurrent_calls").asInt()).isEqualTo(5);
        assertThat(fetched.path("store_sms_bodies").asBoolean()).isTrue();
    }

    @Test
    void duplicateIs409() {
        admin("POST", "/admin/tenants", "{\"id\": \"twice\", \"name\": \"Twice\"}");
        HttpResponse<String> response = admin("POST", "/admin/tenants", "{\"id\": \"twice\", \"name\": \"Again\"}");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(TestServer.json(response).path("field").asText()).isEqualTo("id");
    }

    @Test
    void badIdIs400() {
        for (String body : List.of("{\"id\": \"has space\", \"name\": \"x\"}", "{\"id\": \"-lead\", \"name\": \"x\"}",
                "{\"id\": \"\", \"name\": \"x\"}", "{\"name\": \"x\"}", "{\"id\": 7, \"name\": \"x\"}",
                "{\"id\": \"" + "a".repeat(129) + "\", \"name\": \"x\"}")) {
            HttpResponse<String> response = admin("POST", "/admin/tenants", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(TestServer.json(response).path("field").asText()).as(body).isEqualTo("id");
        }
        HttpResponse<String> noName = admin("POST", "/admin/tenants", "{\"id\": \"nameless\"}");
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(noName).path("field").asText()).isEqualTo("name");
    }

    @Test
    void patchChangesOnlyTheGivenSettings() {
        admin("POST", "/admin/tenants", "{\"id\": \"umbrella\", \"name\": \"Umbrella\"}");

        HttpResponse<String> first = admin("PATCH", "/admin/tenants/umbrella", """
                {"store_sms_bodies": true, "max_concurrent_calls": 3, "instructions": "Be brief."}""");
        HttpResponse<String> second = admin("PATCH", "/admin/tenants/umbrella", "{\"name\": \"Umbrella Corp\"}");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        JsonNode tenant = TestServer.json(admin("GET", "/admin/tenants/umbrella", null));
        assertThat(tenant.path("name").asText()).isEqualTo("Umbrella Corp");
        assertThat(tenant.path("store_sms_bodies").asBoolean()).isTrue();
        assertThat(tenant.path("max_concurrent_calls").asInt()).isEqualTo(3);
        assertThat(tenant.path("instructions").asText()).isEqualTo("Be brief.");
    }

    @Test
    void badPatchIs4xxNamingTheField() {
        admin("POST", "/admin/tenants", "{\"id\": \"patchy\", \"name\": \"Patchy\"}");

        assertField(admin("PATCH", "/admin/tenants/patchy", "{\"max_concurrent_calls\": -1}"), 400,
                "max_concurrent_calls");
        assertField(admin("PATCH", "/admin/tenants/patchy", "{\"store_sms_bodies\": \"yes\"}"), 400,
                "store_sms_bodies");
        assertField(admin("PATCH", "/admin/tenants/patchy", "{\"id\": \"other\"}"), 400, "id");
        assertField(admin("PATCH", "/admin/tenants/patchy", "{\"name\": \"\"}"), 400, "name");
        assertField(admin("PATCH", "/admin/tenants/nobody", "{\"name\": \"x\"}"), 404, "tenant_id");
    }

    @Test
    void listHasEveryTenant() {
        admin("POST", "/admin/tenants", "{\"id\": \"listed-a\", \"name\": \"A\"}");
        admin("POST", "/admin/tenants", "{\"id\": \"listed-b\", \"name\": \"B\"}");

        HttpResponse<String> response = admin("GET", "/admin/tenants", null);

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        TestServer.json(response).path("tenants").forEach(tenant -> ids.add(tenant.path("id").asText()));
        assertThat(ids).contains("listed-a", "listed-b");
        assertThat(ids).isSorted();
    }

    private static void assertField(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(TestServer.json(response).path("field").asText()).isEqualTo(field);
    }
}
