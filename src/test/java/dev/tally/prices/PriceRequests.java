package dev.tally.prices;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;

/** The admin price routes as the API tests call them, and the check of a refusal that names its field. */
final class PriceRequests {
    private PriceRequests() {
    }

    static HttpResponse<String> admin(TestServer server, String method, String path, String body) {
        return server.send(method, path, body, "X-Admin-Token", TestServer.ADMIN_TOKEN);
    }

    static void assertField(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(TestServer.json(response).path("field").asText()).as(response.body()).isEqualTo(field);
    }
}
