package dev.tally.store.duckdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Retention on the embedded store: a tenant's raw events and calls before its horizon are deleted,
 * and {@code raw_kept_from} says from when its raw rows are whole. Everything made from raw rows
 * and kept (rollups, the per-call cost rows) stays; the checks that recompute those from raw rows
 * leave the days before it alone, as they can no longer be recomputed.
 *
 * <p>Chat events are kept: a later message in an old chat is credited to the chat's owner, found
 * from the chat event.
 */
final class DuckDbRetention {
    static final String TABLE = "raw_kept_from";
    static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE
            + " (tenant_id VARCHAR NOT NULL, from_ms BIGINT NOT NULL)";

    private DuckDbRetention() {
    }

    /** Deletes the tenant's raw rows before the horizon, in the caller's transaction; rows deleted per table. */
    static Map<String, Long> deleteBefore(Connection connection, String tenantId, long horizonMs, WriteFaults faults)
            throws SQLException {
        Map<String, Long> deleted = new TreeMap<>();
        deleted.put("events", delete(connection, "DELETE FROM events WHERE tenant_id = ? AND time_ms < ?"
                + " AND type <> 'chat'", tenantId, horizonMs));
        faults.reached(WriteStep.RETENTION_TABLE_DELETED);
        deleted.put("calls", delete(connection, "DELETE FROM calls WHERE tenant_id = ? AND time_ms < ?", tenantId,
                horizonMs));
        faults.reached(WriteStep.RETENTION_TABLE_DELETED);
        // the horizon only moves forward: a shorter retention set later deletes more, never brings rows back
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + TABLE + " SELECT ?,"
                + " greatest(?, coalesce((SELECT max(from_ms) FROM " + TABLE + " WHERE tenant_id = ?), ?))")) {
            statement.setString(1, tenantId);
            statement.setLong(2, horizonMs);
            statement.setString(3, tenantId);
            statement.setLong(4, horizonMs);
            statement.executeUpdate();
        }
        delete(connection, "DELETE FROM " + TABLE + " WHERE tenant_id = ? AND from_ms < ?", tenantId,
                keptFrom(connection, tenantId));
        return deleted;
    }

    private static long keptFrom(Connection connection, String tenantId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT max(from_ms) FROM " + TABLE
                + " WHERE tenant_id = ?")) {
            statement.setString(1, tenantId);
            try (java.sql.ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    /** A condition to append to a WHERE clause: the row's time ({@code timeMs}, an expression) is not before its tenant's kept raw rows. */
    static String kept(String alias, String timeMs) {
        return " AND NOT EXISTS (SELECT 1 FROM " + TABLE + " kept WHERE kept.tenant_id = " + alias + ".tenant_id AND "
                + timeMs + " < kept.from_ms)";
    }

    /** A condition: the row's tenant has deleted no raw rows. */
    static String tenantWhole(String alias) {
        return " AND NOT EXISTS (SELECT 1 FROM " + TABLE + " kept WHERE kept.tenant_id = " + alias + ".tenant_id)";
    }

    private static long delete(Connection connection, String sql, String tenantId, long horizonMs) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, tenantId);
            statement.setLong(2, horizonMs);
            return statement.executeUpdate();
        }
    }
}
