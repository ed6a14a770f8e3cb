package dev.tally.store.duckdb;

import dev.tally.store.sql.EventColumn;
import dev.tally.store.sql.EventColumns;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Creates and migrates the schema at start. Statements are idempotent ({@code IF NOT EXISTS}) so
 * that opening an existing file is the same code path as creating a new one.
 *
 * <p>No primary keys: DuckDB's ART index would hold every id in memory a second time and slow the
 * Appender; uniqueness is the event store's job ({@link DuckDbEventStore}).
 */
final class DuckDbSchema {

    private DuckDbSchema() {
    }

    static void migrate(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(eventTable("events"));
            // One row per call, its latest state: calls are sent again as they progress.
            statement.execute(eventTable("calls"));
            for (String table : List.of("events", "calls")) {
                for (EventColumn column : EventColumns.ALL) {
                    statement.execute(addedColumn(table, column));
                }
            }
            DuckDbRollups.createTables(statement);
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS tenants (
                      id VARCHAR NOT NULL, name VARCHAR NOT NULL, created_ms BIGINT NOT NULL,
                      max_concurrent_calls INTEGER, instructions VARCHAR, store_sms_bodies BOOLEAN NOT NULL)""");
            statement.execute("ALTER TABLE tenants ADD COLUMN IF NOT EXISTS retention_days INTEGER");
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS api_keys (
                      id VARCHAR NOT NULL, tenant_id VARCHAR, name VARCHAR NOT NULL, scopes VARCHAR NOT NULL,
                      secret_hash VARCHAR NOT NULL, prefix VARCHAR NOT NULL, member_id VARCHAR,
                      created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL, revoked_ms BIGINT)""");
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS price_entries (
                      id VARCHAR NOT NULL, tenant_id VARCHAR, provider VARCHAR NOT NULL, model VARCHAR NOT NULL,
                      effective_from DATE NOT NULL, input_per_million DECIMAL(18,6), cached_input_per_million DECIMAL(18,6),
                      cache_creation_per_million DECIMAL(18,6), output_per_million DECIMAL(18,6),
                      input_audio_per_million DECIMAL(18,6), output_audio_per_million DECIMAL(18,6),
                      credit_multiplier DECIMAL(18,6) NOT NULL, deleted BOOLEAN NOT NULL DEFAULT false)""");
            migratePrices(statement);
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS integration_secrets (
                      tenant_id VARCHAR NOT NULL, provider VARCHAR NOT NULL, secret VARCHAR NOT NULL,
                      set_ms BIGINT NOT NULL)""");
            statement.execute(DuckDbBudgets.CREATE);
            statement.execute(DuckDbTenantLimits.CREATE);
            statement.execute(DuckDbRetention.CREATE);
            statement.execute(DuckDbErasure.CREATE);
            statement.execute(DuckDbErasures.CREATE);
            statement.execute(DuckDbErasures.CREATE_KEYS);
            statement.execute(DuckDbWebhooks.CREATE);
            for (String create : DuckDbWebhookOutbox.CREATE) {
                statement.execute(create);
            }
        }
    }

    /**
     * The rates of the other units (version 2) on a table made by an older release; a new table
     * gets them the same way. Credits belong to token entries only, so the multiplier may be NULL.
     */
    private static void migratePrices(Statement statement) throws SQLException {
        statement.execute("ALTER TABLE price_entries ALTER COLUMN credit_multiplier DROP NOT NULL");
        for (String rate : dev.tally.pricing.PriceUnit.addedRates()) {
            statement.execute("ALTER TABLE price_entries ADD COLUMN IF NOT EXISTS " + rate + " DECIMAL(18,6)");
        }
        statement.execute("ALTER TABLE price_entries ADD COLUMN IF NOT EXISTS prefix VARCHAR");
        statement.execute("ALTER TABLE price_entries ADD COLUMN IF NOT EXISTS source VARCHAR");
    }

    /**
     * A column added to {@link EventColumns} after a store was made: {@code CREATE TABLE IF NOT
     * EXISTS} leaves an existing table as it was. Old rows of a required column read its default.
     */
    private static String addedColumn(String table, EventColumn column) {
        String type = sqlType(column);
        String fallback = column.nullable() ? "" : switch (column.kind()) {
            case STRING -> " DEFAULT ''";
            case LONG, INTEGER -> " DEFAULT 0";
        };
        return "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS " + column.name() + " " + type + fallback;
    }

    private static String eventTable(String name) {
        String columns = EventColumns.ALL.stream()
                .map(DuckDbSchema::columnDefinition)
                .collect(Collectors.joining(",\n  "));
        return "CREATE TABLE IF NOT EXISTS " + name + " (\n  " + columns + ")";
    }

    private static String columnDefinition(EventColumn column) {
        return column.name() + " " + sqlType(column) + (column.nullable() ? "" : " NOT NULL");
    }

    static String sqlType(EventColumn column) {
        return switch (column.kind()) {
            case STRING -> "VARCHAR";
            case LONG -> "BIGINT";
            case INTEGER -> "INTEGER";
        };
    }
}
