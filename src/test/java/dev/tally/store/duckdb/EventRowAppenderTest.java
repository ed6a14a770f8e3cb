package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.store.EventStoreContract;
import dev.tally.store.sql.EventColumn;
import dev.tally.store.sql.EventColumns;
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
        Event full = EventStoreContract.fullEvent();
        full.attributes = Map.of("b", "2", "a", "1");

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
            assertThat(storedRow(connection, "full-1")).isEqualTo(expectedRow(full));
            assertThat(storedRow(connection, "e-2")).isEqualTo(expectedRow(sparse));
            assertThat(storedRow(connection, "full-1").get(8)).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
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
