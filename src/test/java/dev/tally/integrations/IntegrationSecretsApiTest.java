package dev.tally.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A tenant's webhook secrets through the admin API of a real server: set, listed without the secret, deleted. */
class IntegrationSecretsApiTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.createTenant("acme", "Acme");
        server.createTenant("globex", "Globex");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> admin(String method, String path, String body) {
        return server.send(method, path, body, "X-Admin-Token", TestServer.ADMIN_TOKEN,
                "Content-Type", "application/json");
    }

    private static List<String> set(String tenant) {
        HttpResponse<String> response = admin("GET", "/admin/tenants/" + tenant + "/integrations", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> set = new ArrayList<>();
        JsonNode body = TestServer.json(response);
        assertThat(body.path("integrations")).extracting(item -> item.path("provider").asText())
                .containsExactly("vapi", "retell", "twilio");
        body.path("integrations").forEach(item -> {
            if (item.path("set").asBoolean()) {
                set.add(item.path("provider").asText());
            }
        });
        return set;
    }

    @Test
    void aSecretIsSetListedWithoutItselfReplacedAndDeleted() {
        assertThat(set("acme")).isEmpty();

        HttpResponse<String> put = admin("PUT", "/admin/tenants/acme/integrations/vapi", "{\"secret\": \"first-secret\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(TestServer.json(put).path("set").asBoolean()).isTrue();
        assertThat(put.body()).doesNotContain("first-secret");
        assertThat(admin("PUT", "/admin/tenants/acme/integrations/twilio", "{\"secret\": \"twilio-token\"}")
                .statusCode()).isEqualTo(200);
        assertThat(admin("PUT", "/admin/tenants/acme/integrations/vapi", "{\"secret\": \"second-secret\"}")
                .statusCode()).isEqualTo(200);

        assertThat(set("acme")).containsExactly("vapi", "twilio");
        assertThat(set("globex")).as("another tenant's secrets are its own").isEmpty();
        HttpResponse<String> listed = admin("GET", "/admin/tenants/acme/integrations", null);
        assertThat(listed.body()).doesNotContain("second-secret").doesNotContain("twilio-token")
                .doesNotContain("first-secret");
        assertThat(TestServer.json(listed).path("integrations").get(0).path("set_at").asText()).isNotBlank();

        assertThat(admin("DELETE", "/admin/tenants/acme/integrations/twilio", null).statusCode()).isEqualTo(204);
        assertThat(set("acme")).containsExactly("vapi");
        HttpResponse<String> again = admin("DELETE", "/admin/tenants/acme/integrations/twilio", null);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(again).path("field").asText()).isEqualTo("provider");
    }

    @Test
    void anUnknownTenantIsNotFoundAndABadProviderOrBodyNamesItsField() {
        assertField(admin("GET", "/admin/tenants/initech/integrations", null), 404, "tenant_id");
        assertField(admin("PUT", "/admin/tenants/initech/integrations/vapi", "{\"secret\": \"s\"}"), 404, "tenant_id");
        assertField(admin("DELETE", "/admin/tenants/initech/integrations/vapi", null), 404, "tenant_id");
        assertField(admin("PUT", "/admin/tenants/acme/integrations/bland", "{\"secret\": \"s\"}"), 400, "provider");
        assertField(admin("DELETE", "/admin/tenants/acme/integrations/bland", null), 400, "provider");
        assertField(admin("PUT", "/admin/tenants/globex/integrations/retell", "{}"), 400, "secret");
        assertField(admin("PUT", "/admin/tenants/globex/integrations/retell", "{\"secret\": 42}"), 400, "secret");
        assertField(admin("PUT", "/admin/tenants/globex/integrations/retell", "{\"secret\": \"  \"}"), 400, "secret");
        assertField(admin("PUT", "/admin/tenants/globex/integrations/retell",
                "{\"secret\": \"" + "k".repeat(1_025) + "\"}"), 400, "secret");
        assertField(admin("PUT", "/admin/tenants/globex/integrations/retell", "{\"secret\": \"a\\nb\"}"), 400, "secret");
        assertField(admin("PUT", "/admin/tenants/globex/integrations/retell", "not json"), 400, "body");
        assertThat(set("globex")).as("nothing refused was stored").isEmpty();
    }

    @Test
    void theRoutesNeedTheAdminToken() {
        assertThat(server.get("/admin/tenants/acme/integrations").statusCode()).isEqualTo(401);
        assertThat(server.send("PUT", "/admin/tenants/globex/integrations/vapi", "{\"secret\": \"s\"}",
                "X-Admin-Token", "wrong").statusCode()).isEqualTo(401);
        assertThat(server.send("DELETE", "/admin/tenants/acme/integrations/vapi", null).statusCode()).isEqualTo(401);
        assertThat(set("globex")).isEmpty();
    }

    private static void assertField(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(TestServer.json(response).path("field").asText()).as(response.body()).isEqualTo(field);
    }
}
