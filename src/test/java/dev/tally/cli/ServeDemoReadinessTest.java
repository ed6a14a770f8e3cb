package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.demo.DemoData;
import dev.tally.testing.ServeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer runs {@code tally serve --demo}, waits for readiness and calls a report with the
 * demo's key: the server answers health while it loads the demo, so readiness must wait for the
 * load, or the first call is refused with 401 (as it was).
 */
class ServeDemoReadinessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readinessWaitsForTheDemoDataSoTheDemoKeysWorkOnceReady(@TempDir Path directory) throws Exception {
        try (ServeProcess server = ServeProcess.start(directory.resolve("data"), List.of("-Xmx1g"), "--demo")) {
            HttpClient http = HttpClient.newHttpClient();
            List<String> notReady = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            HttpResponse<String> ready;
            do {
                ready = http.send(HttpRequest.newBuilder(URI.create(server.base() + "/api/v1/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() != 200) {
                    notReady.add(ready.statusCode() + " " + ready.body());
                    Thread.sleep(20);
                }
            } while (ready.statusCode() != 200 && System.nanoTime() < deadline);
            assertThat(ready.statusCode()).as("ready within 120 s; before: %s", notReady).isEqualTo(200);
            assertThat(notReady).as("readiness while the demo loads").isNotEmpty();
            JsonNode loading = JSON.readTree(notReady.get(0).substring(4));
            assertThat(loading.path("checks").path("demo_data").path("state").asText()).as(notReady.get(0))
                    .isEqualTo("loading");
            assertThat(loading.path("checks").path("duckdb").path("state").asText()).isEqualTo("up");

            String today = LocalDate.now(ZoneOffset.UTC).toString();
            HttpResponse<String> usage = http.send(HttpRequest.newBuilder(URI.create(server.base()
                            + "/api/v2/w/acme/reports/ai-usage?start_date=" + today + "&end_date=" + today))
                    .header("Authorization", "Bearer " + DemoData.ANALYTICS_KEY).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(usage.statusCode()).as("the demo's analytics key, right after ready: " + usage.body())
                    .isEqualTo(200);
        }
    }
}
