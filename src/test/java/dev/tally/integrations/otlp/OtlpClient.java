package dev.tally.integrations.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.http.Json;
import dev.tally.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Sends OTLP exports to a test server as bytes, as exporters do, and asks its call statistics what was stored. */
final class OtlpClient {
    private static final String WINDOW = "\"start\": \"2026-03-14T10:00:00Z\", \"end\": \"2026-03-14T11:00:00Z\","
            + " \"granularity\": 3600";

    private final TestServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    OtlpClient(TestServer server) {
        this.server = server;
    }

    HttpResponse<byte[]> postJson(String body, String key) {
        return post(body.getBytes(StandardCharsets.UTF_8), "application/json", key);
    }

    /** Posts an export (content type and key may be null, to leave them out) and lets the store settle. */
    HttpResponse<byte[]> post(byte[] body, String contentType, String key, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(OtlpRoutes.PATH)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        for (int index = 0; index + 1 < headers.length; index += 2) {
            request.header(headers[index], headers[index + 1]);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            server.settleWrites();
            return response;
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException notJson) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + text(response), notJson);
        }
    }

    /** {@code POST /calls/stats} over 2026-03-14 10:00–11:00 UTC in one bucket: the llm events' counts and tokens. */
    JsonNode stats(String key, String project, String filter) {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = server.post("/calls/stats", "{\"project_id\": \"" + project + "\", " + WINDOW
                + ", \"filter\": {" + filter + "}, \"usage_metrics\": [{\"metric\": \"input_tokens\"},"
                + " {\"metric\": \"output_tokens\"}, {\"metric\": \"cache_read_input_tokens\"},"
                + " {\"metric\": \"cache_creation_input_tokens\"}, {\"metric\": \"total_cost\"}],"
                + " \"call_metrics\": [{\"metric\": \"call_count\"}, {\"metric\": \"error_count\"}]}",
                "Authorization", basic, "Content-Type", "application/json");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response);
    }

    /** The count of llm events in the answer of {@link #stats}; errors when {@code errors}. */
    static long calls(JsonNode stats, boolean errors) {
        return stats.path("call_buckets").get(0).path(errors ? "sum_error_count" : "sum_call_count").asLong();
    }

    static JsonNode usageOf(JsonNode stats, String model) {
        for (JsonNode bucket : stats.path("usage_buckets")) {
            if (bucket.path("model").asText().equals(model)) {
                return bucket;
            }
        }
        throw new AssertionError("no usage of " + model + " in " + stats);
    }
}
