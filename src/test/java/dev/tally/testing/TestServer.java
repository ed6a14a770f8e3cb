package dev.tally.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.app.ServerConfig;
import dev.tally.app.Tally;
import dev.tally.app.TallyServer;
import dev.tally.http.Json;
import dev.tally.store.clickhouse.ClickHouseEventStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A real Tally server on a random loopback port, for API tests: they talk HTTP to it exactly as a
 * client would. In memory unless a data directory is given (restart tests need a file).
 */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_TOKEN = "test-admin-token";
    public static final String STORE_PROPERTY = "tally.test.store";

    private final TallyServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestServer(TallyServer server) {
        this.server = server;
    }

    public static TestServer start() {
        return start(Clock.systemUTC(), null);
    }

    public static TestServer start(Clock clock) {
        return start(clock, null);
    }

    /**
     * With {@code -Dtally.test.store=clickhouse} a server without a data directory stores in a
     * fresh database of the test ClickHouse cluster instead of in memory; with
     * {@code duckdb-without-rollups} its reports read DuckDB without the rollups. The build runs the
     * report API tests all three ways, so every report is checked on every store, with and without
     * pre-aggregation.
     */
    public static TestServer start(Clock clock, Path dataDirectory) {
        ServerConfig config = ServerConfig.forTests(ADMIN_TOKEN).withDataDirectory(dataDirectory);
        if (dataDirectory == null && "clickhouse".equals(System.getProperty(STORE_PROPERTY))) {
            config = config.withClickHouse(ClickHouseCluster.shared().newDatabase());
        }
        if ("duckdb-without-rollups".equals(System.getProperty(STORE_PROPERTY))) {
            config = config.withoutRollupReads();
        }
        return new TestServer(TallyServer.start(config, clock));
    }

    public static TestServer start(ServerConfig config, Clock clock) {
        return new TestServer(TallyServer.start(config, clock));
    }

    public Tally tally() {
        return server.tally();
    }

    public int port() {
        return server.port();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** Creates a tenant through the admin API. */
    public void createTenant(String id, String name) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("id", id).put("name", name);
        HttpResponse<String> response = send("POST", "/admin/tenants", body.toString(), "X-Admin-Token", ADMIN_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    /** Creates a key through the admin API and returns its secret; {@code tenantId} null for a platform key. */
    public String createKey(String tenantId, String... scopes) {
        return createMemberKey(tenantId, null, scopes);
    }

    /**
     * A key acting as a workspace member. Named apart from {@link #createKey} because two varargs
     * overloads of (String, String...) make every call with string literals ambiguous.
     */
    public String createMemberKey(String tenantId, String memberId, String... scopes) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("name", "test key").put("expires_in_days", 30);
        if (tenantId != null) {
            body.put("tenant_id", tenantId);
        }
        if (memberId != null) {
            body.put("member_id", memberId);
        }
        ArrayNode scopeArray = body.putArray("scopes");
        for (String scope : scopes) {
            scopeArray.add(scope);
        }
        HttpResponse<String> response = send("POST", "/admin/api-keys", body.toString(), "X-Admin-Token", ADMIN_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response).path("key").asText();
    }

    /** Posts events (a JSON array or object) with the key and asserts nothing was rejected. */
    public JsonNode ingest(String key, String eventsJson) {
        HttpResponse<String> response = send("POST", "/v1/events", eventsJson, "Authorization", "Bearer " + key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = json(response);
        assertThat(result.path("rejected").asInt()).as(response.body()).isZero();
        settleWrites();
        return result;
    }

    /** After events were written some other way than {@link #ingest} (a receiver), what ingest does after them. */
    public void settleWrites() {
        if ("clickhouse".equals(System.getProperty(STORE_PROPERTY))
                && server.tally().events() instanceof ClickHouseEventStore clickHouse) {
            // the reports then read these hours from the rollup tables; events sent otherwise stay raw
            clickHouse.recomputeRollups();
        }
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public HttpResponse<String> getWithKey(String path, String key) {
        return send("GET", path, null, "Authorization", "Bearer " + key);
    }

    /** Each report's answer with the key, asserted 200, by path in the order given: for comparing before and after. */
    public java.util.Map<String, String> answers(String key, java.util.List<String> paths) {
        java.util.Map<String, String> answers = new java.util.LinkedHashMap<>();
        for (String path : paths) {
            HttpResponse<String> response = getWithKey(path, key);
            assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
            answers.put(path, response.body());
        }
        return answers;
    }

    public HttpResponse<String> post(String path, String body, String... headers) {
        return send("POST", path, body, headers);
    }

    public HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)));
        for (int index = 0; index + 1 < headers.length; index += 2) {
            request.header(headers[index], headers[index + 1]);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException failure) {
            throw new IllegalStateException(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException notJson) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), notJson);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
