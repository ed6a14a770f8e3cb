package dev.tally.store.duckdb;

import dev.tally.store.ErasureRows;
import dev.tally.tenant.Erasure;
import dev.tally.tenant.ErasureState;
import dev.tally.tenant.ErasureSubject;
import dev.tally.text.WireName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The erasure jobs, which are the audit log of erasures, and each tenant's pseudonym key, in DuckDB. */
final class DuckDbErasures {
    static final String CREATE = """
            CREATE TABLE IF NOT EXISTS erasures (
              id VARCHAR NOT NULL, tenant_id VARCHAR NOT NULL, subject VARCHAR NOT NULL, pseudonym VARCHAR NOT NULL,
              requested_by VARCHAR NOT NULL, reference VARCHAR, requested_ms BIGINT NOT NULL, state VARCHAR NOT NULL,
              finished_ms BIGINT, row_counts VARCHAR NOT NULL, failure VARCHAR)""";
    static final String CREATE_KEYS = """
            CREATE TABLE IF NOT EXISTS pseudonym_keys (tenant_id VARCHAR NOT NULL, secret VARCHAR NOT NULL)""";
    private static final String COLUMNS = "SELECT id, tenant_id, subject, pseudonym, requested_by, reference,"
            + " requested_ms, state, finished_ms, row_counts, failure FROM erasures";

    private final DuckDbDatabase database;

    DuckDbErasures(DuckDbDatabase database) {
        this.database = database;
    }

    void put(Erasure erasure) {
        database.metadata(connection -> DuckDbTransaction.inTransaction(connection, () -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM erasures WHERE id = ?")) {
                delete.setString(1, erasure.id());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO erasures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, erasure.id());
                insert.setString(2, erasure.tenantId());
                insert.setString(3, erasure.subject().wireName());
                insert.setString(4, erasure.pseudonym());
                insert.setString(5, erasure.requestedBy());
                insert.setString(6, erasure.reference());
                insert.setLong(7, erasure.requestedMs());
                insert.setString(8, erasure.state().wireName());
                if (erasure.finishedMs() == null) {
                    insert.setNull(9, Types.BIGINT);
                } else {
                    insert.setLong(9, erasure.finishedMs());
                }
                insert.setString(10, ErasureRows.write(erasure.rows()));
                insert.setString(11, erasure.failure());
                insert.executeUpdate();
            }
            return null;
        }));
    }

    Optional<Erasure> byId(String id) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(COLUMNS + " WHERE id = ?")) {
                statement.setString(1, id);
                return read(statement).stream().findFirst();
            }
        });
    }

    List<Erasure> list(String tenantId) {
        return database.read(connection -> {
            String order = " ORDER BY requested_ms, id";
            try (PreparedStatement statement = connection.prepareStatement(
                    tenantId == null ? COLUMNS + order : COLUMNS + " WHERE tenant_id = ?" + order)) {
                if (tenantId != null) {
                    statement.setString(1, tenantId);
                }
                return read(statement);
            }
        });
    }

    /** The tenant's key, made at its first erasure; one transaction, so two requests at once agree on one. */
    String key(String tenantId) {
        return database.metadata(connection -> DuckDbTransaction.inTransaction(connection, () -> {
            Optional<String> stored = storedKey(connection, tenantId);
            if (stored.isPresent()) {
                return stored.get();
            }
            String secret = newSecret();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO pseudonym_keys VALUES (?, ?)")) {
                insert.setString(1, tenantId);
                insert.setString(2, secret);
                insert.executeUpdate();
            }
            return secret;
        }));
    }

    static String newSecret() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    private static Optional<String> storedKey(Connection connection, String tenantId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT secret FROM pseudonym_keys WHERE tenant_id = ?")) {
            statement.setString(1, tenantId);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() ? Optional.of(result.getString(1)) : Optional.empty();
            }
        }
    }

    private static List<Erasure> read(PreparedStatement statement) throws SQLException {
        List<Erasure> erasures = new ArrayList<>();
        try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                long finished = result.getLong(9);
                Long finishedMs = result.wasNull() ? null : finished;
                erasures.add(new Erasure(result.getString(1), result.getString(2),
                        WireName.find(ErasureSubject.values(), result.getString(3)).orElseThrow(),
                        result.getString(4), result.getString(5), result.getString(6), result.getLong(7),
                        WireName.find(ErasureState.values(), result.getString(8)).orElseThrow(), finishedMs,
                        ErasureRows.read(result.getString(10)), result.getString(11)));
            }
        }
        return erasures;
    }
}
