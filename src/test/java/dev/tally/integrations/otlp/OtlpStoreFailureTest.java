package dev.tally.integrations.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.app.ServerConfig;
import dev.tally.event.Event;
import dev.tally.store.duckdb.DuckDbEventStore;
import dev.tally.store.duckdb.WriteFaults;
import dev.tally.store.duckdb.WriteStep;
import dev.tally.testing.TestServer;
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
 * An export the store fails to write is a 503, which OTLP exporters retry; the retry stores each
 * span once: what the failed write stored is a duplicate, what it did not is stored then. On DuckDB,
 * whose writes take injected faults.
 */
class OtlpStoreFailureTest {
    private static final String TRACE = "5b8efff798038103d269b633813fc60c";
    private static final String FAILED_SPAN = TRACE + ":c2d3e4f5a6b7c8d9";

    private TestServer server;
    private OtlpClient otlp;
    private DuckDbEventStore store;
    private String reader;
    private String writer;

    @BeforeEach
    void start() {
        // DuckDB in memory whatever store the run names: its writes take injected faults
        server = TestServer.start(ServerConfig.forTests(TestServer.ADMIN_TOKEN),
                Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC));
        otlp = new OtlpClient(server);
        store = (DuckDbEventStore) server.tally().events();
        server.createTenant("acme", "Acme");
        reader = server.createKey("acme", "analytics:read");
        writer = server.createKey("acme", "events:write");
    }

    @AfterEach
    void stop() {
        store.injectFaults(WriteFaults.NONE);
        server.close();
    }

    private long stored() {
        return OtlpClient.calls(otlp.stats(reader, "acme", "\"trace_ids\": [\"" + TRACE + "\"]"), false);
    }

    private HttpResponse<byte[]> export() {
        return otlp.postJson(OtlpReceiverApiTest.fixture("traces.json"), writer);
    }

    @Test
    void aSpanTheStoreCannotWriteIsA503AndTheRetryStoresEverySpanOnce() {
        store.injectFaults(new WriteFaults() {
            @Override
            public void appending(Event event) throws SQLException {
                if (event.id.equals(FAILED_SPAN)) {
                    throw new SQLException("injected: cannot store " + event.id);
                }
            }
        });

        HttpResponse<byte[]> failed = export();

        assertThat(failed.statusCode()).as(OtlpClient.text(failed)).isEqualTo(503);
        assertThat(OtlpClient.json(failed).path("reason").asText()).contains("export them again");
        assertThat(stored()).as("the spans beside the one that failed").isEqualTo(2);
        store.injectFaults(WriteFaults.NONE);
        HttpResponse<byte[]> retried = export();
        assertThat(retried.statusCode()).as(OtlpClient.text(retried)).isEqualTo(200);
        assertThat(stored()).isEqualTo(3);
        assertThat(export().statusCode()).isEqualTo(200);
        assertThat(stored()).isEqualTo(3);
    }

    @Test
    void aStoreThatCannotCommitIsA503AndStoresNothing() {
        store.injectFaults(new WriteFaults() {
            @Override
            public void reached(WriteStep step) throws SQLException {
                if (step == WriteStep.COMMIT) {
                    throw new SQLException("injected: the disk is full");
                }
            }
        });

        HttpResponse<byte[]> failed = export();

        assertThat(failed.statusCode()).as(new String(failed.body(), StandardCharsets.UTF_8)).isEqualTo(503);
        assertThat(stored()).isZero();
        store.injectFaults(WriteFaults.NONE);
        assertThat(export().statusCode()).isEqualTo(200);
        assertThat(stored()).isEqualTo(3);
    }
}
