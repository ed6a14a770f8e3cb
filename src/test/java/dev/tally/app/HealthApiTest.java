package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class HealthApiTest {

    @Test
    void healthNamesTheStoreAndNeedsNoKey() {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> response = server.get("/api/v1/health");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(TestServer.json(response).path("status").asText()).isEqualTo("ok");
            assertThat(TestServer.json(response).path("store").asText()).isEqualTo("duckdb");
        }
    }

    @Test
    void unknownRouteIsAJson404() {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> response = server.get("/no/such/route");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(TestServer.json(response).path("error").asText()).isNotEmpty();
        }
    }
}
