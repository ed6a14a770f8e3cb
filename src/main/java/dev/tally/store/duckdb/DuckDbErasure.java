package dev.tally.store.duckdb;

import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.store.ErasedSubject;
import dev.tally.store.SubjectErasure;
import dev.tally.store.json.AttributesJson;
import dev.tally.tenant.ErasureSubject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Erasure of a data subject in the embedded store, inside the caller's transaction: every table
 * of tenant rows with a column that may hold the identifier, found in the catalog so that a table
 * added later is not forgotten, then the call's own row and the hashes that key it.
 */
final class DuckDbErasure {
    static final String CREATE = """
            CREATE TABLE IF NOT EXISTS erased_subjects (
              tenant_id VARCHAR NOT NULL, subject VARCHAR NOT NULL, pseudonym VARCHAR NOT NULL,
              erasure_id VARCHAR NOT NULL, erased_ms BIGINT NOT NULL)""";
    /** The tables of events as sent: their attributes and SMS bodies are the subject's too. */
    private static final Set<String> RAW_TABLES = Set.of("events", "calls");

    private DuckDbErasure() {
    }

    static Map<String, Long> erase(Connection connection, SubjectErasure erasure, long nowMs, WriteFaults faults)
            throws SQLException {
        Map<String, Long> rows = new TreeMap<>();
        for (Map.Entry<String, List<String>> table : tablesWithColumns(connection, erasure.columns()).entrySet()) {
            for (String column : table.getValue()) {
                long changed = update(connection, table.getKey(), column, erasure);
                if (changed > 0) {
                    rows.merge(table.getKey(), changed, Long::sum);
                }
                faults.reached(WriteStep.ERASURE_TABLE_REWRITTEN);
            }
        }
        if (erasure.subject() == ErasureSubject.CALL_ID) {
            eraseCallRow(connection, erasure, rows);
        }
        for (String table : RAW_TABLES) {
            long scrubbed = scrubAttributes(connection, table, erasure);
            if (scrubbed > 0) {
                rows.merge(table, scrubbed, Long::sum);
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO erased_subjects VALUES (?, ?, ?, ?, ?)")) {
            statement.setString(1, erasure.tenantId());
            statement.setString(2, erasure.subject().wireName());
            statement.setString(3, erasure.pseudonym());
            statement.setString(4, erasure.erasureId());
            statement.setLong(5, nowMs);
            statement.executeUpdate();
        }
        return rows;
    }

    static List<ErasedSubject> list(Connection connection) throws SQLException {
        List<ErasedSubject> subjects = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT DISTINCT tenant_id, subject, pseudonym FROM erased_subjects ORDER BY tenant_id, pseudonym");
             ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                ErasureSubject subject = dev.tally.text.WireName.find(ErasureSubject.values(), result.getString(2))
                        .orElseThrow(() -> new IllegalStateException("unknown erased subject kind in the store"));
                subjects.add(new ErasedSubject(result.getString(1), subject, result.getString(3)));
            }
        }
        return subjects;
    }

    private static long update(Connection connection, String table, String column, SubjectErasure erasure)
            throws SQLException {
        String scrub = RAW_TABLES.contains(table) ? ", attributes = ?, body = NULL" : "";
        try (PreparedStatement statement = connection.prepareStatement("UPDATE \"" + table + "\" SET \"" + column
                + "\" = ?" + scrub + " WHERE tenant_id = ? AND \"" + column + "\" = ?")) {
            int index = 1;
            statement.setString(index++, erasure.pseudonym());
            if (!scrub.isEmpty()) {
                statement.setString(index++, AttributesJson.write(Map.of()));
            }
            statement.setString(index++, erasure.tenantId());
            statement.setString(index, erasure.identifier());
            return statement.executeUpdate();
        }
    }

    /**
     * An event that names the subject only in an attribute value ({@code {"phone_number": "+1…"}} on
     * a number's monthly fee) is the subject's too: its attributes go. Matched as the JSON string the
     * attributes are stored as, so only a whole value matches.
     */
    private static long scrubAttributes(Connection connection, String table, SubjectErasure erasure)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE " + table + " SET attributes = ?,"
                + " body = NULL WHERE tenant_id = ? AND contains(attributes, ?)")) {
            statement.setString(1, AttributesJson.write(Map.of()));
            statement.setString(2, erasure.tenantId());
            statement.setString(3, AttributesJson.quoted(erasure.identifier()));
            return statement.executeUpdate();
        }
    }

    /**
     * A call event's id is the call id: its row takes the pseudonym as id, and every table keyed by
     * the call's hash (the per-call costs, the calls a write touched) the pseudonym's hash, so the
     * call is found again by its new id exactly as by its old one.
     */
    private static void eraseCallRow(Connection connection, SubjectErasure erasure, Map<String, Long> rows)
            throws SQLException {
        long oldHash = IdFingerprint.of(erasure.tenantId(), erasure.identifier());
        long newHash = IdFingerprint.of(erasure.tenantId(), erasure.pseudonym());
        try (PreparedStatement statement = connection.prepareStatement("UPDATE calls SET id = ?, id_hash = ?,"
                + " attributes = ?, body = NULL WHERE tenant_id = ? AND id = ?")) {
            statement.setString(1, erasure.pseudonym());
            statement.setLong(2, newHash);
            statement.setString(3, AttributesJson.write(Map.of()));
            statement.setString(4, erasure.tenantId());
            statement.setString(5, erasure.identifier());
            long changed = statement.executeUpdate();
            if (changed > 0) {
                rows.merge("calls", changed, Long::sum);
            }
        }
        for (String table : tablesWithColumns(connection, List.of("call_hash")).keySet()) {
            try (PreparedStatement statement = connection.prepareStatement("UPDATE \"" + table
                    + "\" SET call_hash = ? WHERE tenant_id = ? AND call_hash = ?")) {
                statement.setLong(1, newHash);
                statement.setString(2, erasure.tenantId());
                statement.setLong(3, oldHash);
                statement.executeUpdate();
            }
        }
    }

    /** Base tables of tenant rows, each with those of the columns it has. */
    private static Map<String, List<String>> tablesWithColumns(Connection connection, List<String> columns)
            throws SQLException {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        String placeholders = String.join(", ", java.util.Collections.nCopies(columns.size(), "?"));
        try (PreparedStatement statement = connection.prepareStatement("SELECT c.table_name, c.column_name FROM"
                + " information_schema.columns c JOIN information_schema.tables t ON t.table_name = c.table_name"
                + " AND t.table_schema = c.table_schema WHERE c.column_name IN (" + placeholders + ")"
                + " AND c.table_schema = 'main' AND t.table_type = 'BASE TABLE' AND EXISTS (SELECT 1 FROM"
                + " information_schema.columns k WHERE k.table_name = c.table_name AND k.table_schema = 'main'"
                + " AND k.column_name = 'tenant_id') ORDER BY c.table_name, c.column_name")) {
            for (int index = 0; index < columns.size(); index++) {
                statement.setString(index + 1, columns.get(index));
            }
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    tables.computeIfAbsent(result.getString(1), table -> new ArrayList<>()).add(result.getString(2));
                }
            }
        }
        return tables;
    }
}
