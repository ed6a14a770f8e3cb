package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.store.EventColumn;
import dev.tally.store.EventColumns;
import dev.tally.store.IdFingerprint;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;

/** The hand-written row appender must store exactly what the generic column readers describe. */
class EventRowAppenderTest {

    @Test
    void everyColumnHoldsWhatItsGenericReaderReads() throws Exception {
        Event full = new Event();
        full.tenantId = "acme";
        full.id = "e-1";
        full.type = EventType.SMS;
        full.timeMs = 1_772_000_000_001L;
        full.agentId = "agent-1";
        full.userEmail = "ana@example.com";
        full.memberId = "member-1";
        full.attributes = Map.of("b", "2", "a", "1");
        full.status = "completed";
        full.direction = "outbound";
        full.phoneNumber = "+14155550100";
        full.endedMs = 1_772_000_000_002L;
        full.durationMs = 3L;
        full.sentiment = "neutral";
        full.endReason = "hangup";
        full.provider = "openai";
        full.model = "gpt-4o";
        full.kind = "chat";
        full.callId = "call-1";
        full.chatId = "chat-1";
        full.exception = "boom";
        full.opName = "op";
        full.traceId = "trace";
        full.parentId = "parent";
        full.threadId = "thread";
        full.turnId = "turn";
        full.runId = "run";
        full.inputTokens = 4;
        full.cachedInputTokens = 5;
        full.cacheCreationInputTokens = 6;
        full.outputTokens = 7;
        full.inputAudioTokens = 8;
        full.outputAudioTokens = 9;
        full.characters = 10L;
        full.audioDurationMs = 11L;
        full.encoding = "gsm7";
        full.segments = 12;
        full.body = "hello";
        full.role = "user";
        full.channel = "web";
        full.costNanos = 13;
        full.costSource = CostSource.COMPUTED;
        full.inputCostNanos = 14;
        full.outputCostNanos = 15;
        full.creditsMicros = 16;
        full.receivedMs = 17;

        Event sparse = new Event();
        sparse.tenantId = "acme";
        sparse.id = "e-2";
        sparse.type = EventType.CHAT;
        sparse.timeMs = 1_772_000_000_000L;

        try (DuckDbDatabase database = DuckDbDatabase.inMemory()) {
            DuckDBConnection connection = database.newConnection();
            try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
                EventRowAppender.append(appender, full, IdFingerprint.of(full.tenantId, full.id));
                EventRowAppender.append(appender, sparse, IdFingerprint.of(sparse.tenantId, sparse.id));
            }
            assertThat(storedRow(connection, "e-1")).isEqualTo(expectedRow(full));
            assertThat(storedRow(connection, "e-2")).isEqualTo(expectedRow(sparse));
            assertThat(storedRow(connection, "e-1").get(8)).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
            assertThat(storedRow(connection, "e-2").subList(5, 8)).containsExactly(null, null, null);
            connection.close();
        }
    }

    private static List<Object> expectedRow(Event event) {
        List<Object> row = new ArrayList<>();
        for (EventColumn column : EventColumns.ALL) {
            row.add(normalized(column.read(event)));
        }
        return row;
    }

    private static List<Object> storedRow(DuckDBConnection connection, String id) throws Exception {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT * FROM events WHERE id = '" + id + "'")) {
            assertThat(result.next()).isTrue();
            Object[] row = new Object[EventColumns.ALL.size()];
            assertThat(result.getMetaData().getColumnCount()).isEqualTo(row.length);
            for (int column = 0; column < row.length; column++) {
                assertThat(result.getMetaData().getColumnName(column + 1)).isEqualTo(EventColumns.ALL.get(column).name());
                row[column] = normalized(result.getObject(column + 1));
            }
            return Arrays.asList(row);
        }
    }

    private static Object normalized(Object value) {
        return value instanceof Number number ? (Object) number.longValue() : value;
    }
}
