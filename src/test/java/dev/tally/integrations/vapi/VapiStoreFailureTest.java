package dev.tally.integrations.vapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.app.ServerConfig;
import dev.tally.event.Event;
import dev.tally.store.duckdb.DuckDbEventStore;
import dev.tally.store.duckdb.WriteFaults;
import dev.tally.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A report the store writes only part of is a 503 (the rule every receiver shares), and Vapi's
 * retry completes the call: its cost report then equals Vapi's total, nothing counted twice. On
 * DuckDB, whose writes take injected faults.
 */
class VapiStoreFailureTest {
    private static final String CALL = "c0ffee00-0000-4000-8000-000000000001";
    private static final String SECRET = "vapi-store-failure-secret";

    private TestServer server;
    private DuckDbEventStore store;
    private String reader;

    @BeforeEach
    void start() {
        server = TestServer.start(ServerConfig.forTests(TestServer.ADMIN_TOKEN),
                Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC));
        store = (DuckDbEventStore) server.tally().events();
        server.createTenant("acme", "Acme");
        reader = server.createKey("acme", "analytics:read");
        HttpResponse<String> set = server.send("PUT", "/admin/tenants/acme/integrations/vapi",
                "{\"secret\": \"" + SECRET + "\"}", "X-Admin-Token", TestServer.ADMIN_TOKEN);
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        store.injectFaults(WriteFaults.NONE);
        server.close();
    }

    private HttpResponse<String> report() {
        try (InputStream input = VapiStoreFailureTest.class.getResourceAsStream("end-of-call-report.json")) {
            return server.send("POST", "/v1/integrations/vapi/acme",
                    new String(input.readAllBytes(), StandardCharsets.UTF_8), "X-Vapi-Secret", SECRET,
                    "Content-Type", "application/json");
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    private BigDecimal total() {
        HttpResponse<String> cost = server.getWithKey("/v1/analytics/calls/" + CALL + "/cost", reader);
        assertThat(cost.statusCode()).as(cost.body()).isEqualTo(200);
        return TestServer.json(cost).path("total_cost_usd").decimalValue();
    }

    @Test
    void aPartOfTheReportTheStoreCannotWriteIsA503AndTheRetryCompletesTheCallOnce() {
        store.injectFaults(new WriteFaults() {
            @Override
            public void appending(Event event) throws SQLException {
                if (event.id.equals(CALL + ":llm")) {
                    throw new SQLException("injected: cannot store " + event.id);
                }
            }
        });

        HttpResponse<String> failed = report();

        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(503);
        assertThat(TestServer.json(failed).path("reason").asText()).contains("send it again");
        assertThat(total()).as("the call without its LLM part").isEqualByComparingTo("0.3231");
        store.injectFaults(WriteFaults.NONE);
        HttpResponse<String> retried = report();
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertThat(total()).as("Vapi's own total").isEqualByComparingTo("0.3538");
        assertThat(report().statusCode()).isEqualTo(200);
        assertThat(total()).as("a third delivery counts nothing twice").isEqualByComparingTo("0.3538");
    }
}
