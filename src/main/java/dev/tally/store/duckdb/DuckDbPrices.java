package dev.tally.store.duckdb;

import dev.tally.pricing.PriceEntry;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Operator price entries in DuckDB. Deleted entries are flagged, not removed, so an audit can see them. */
final class DuckDbPrices {
    /** id, tenant_id, provider, model, effective_from, prefix, the rates in {@link PriceEntry#rateNames()} order, source. */
    private static final String COLUMNS = "id, tenant_id, provider, model, effective_from, prefix, "
            + String.join(", ", PriceEntry.rateNames()) + ", source";
    private static final int SOURCE = 7 + PriceEntry.rateNames().size();
    private static final int FIRST_RATE = 7;

    private final DuckDbDatabase database;

    DuckDbPrices(DuckDbDatabase database) {
        this.database = database;
    }

    List<PriceEntry> list() {
        return database.read(connection -> {
            List<PriceEntry> entries = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM price_entries WHERE NOT deleted ORDER BY provider, model, effective_from");
                 ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Map<String, BigDecimal> rates = new HashMap<>();
                    for (int index = 0; index < PriceEntry.rateNames().size(); index++) {
                        rates.put(PriceEntry.rateNames().get(index), result.getBigDecimal(FIRST_RATE + index));
                    }
                    entries.add(PriceEntry.of(result.getString(1), result.getString(2), result.getString(3),
                            result.getString(4), result.getDate(5).toLocalDate(), result.getString(6), rates,
                            result.getString(SOURCE)));
                }
            }
            return entries;
        });
    }

    void insert(PriceEntry entry) {
        replace(List.of(), List.of(entry));
    }

    /** Retires the ids and stores the entries in one transaction: an import is all or nothing. */
    void replace(List<String> retiredIds, List<PriceEntry> added) {
        database.metadata(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("BEGIN TRANSACTION");
            }
            try {
                for (String id : retiredIds) {
                    retire(connection, id);
                }
                insertRows(connection, added);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("COMMIT");
                }
            } catch (SQLException | RuntimeException failure) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ROLLBACK");
                } catch (SQLException rollbackFailure) {
                    failure.addSuppressed(rollbackFailure);
                }
                throw failure;
            }
            return null;
        });
    }

    private static void insertRows(Connection connection, List<PriceEntry> entries) throws SQLException {
        String placeholders = String.join(", ", Collections.nCopies(SOURCE, "?"));
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO price_entries (" + COLUMNS
                + ") VALUES (" + placeholders + ")")) {
            for (PriceEntry entry : entries) {
                statement.setString(1, entry.id());
                statement.setString(2, entry.tenantId());
                statement.setString(3, entry.provider());
                statement.setString(4, entry.model());
                statement.setDate(5, Date.valueOf(entry.effectiveFrom()));
                statement.setString(6, entry.prefix());
                int index = FIRST_RATE;
                for (BigDecimal rate : entry.rates().values()) {
                    setDecimal(statement, index++, rate);
                }
                statement.setString(SOURCE, entry.source());
                statement.executeUpdate();
            }
        }
    }

    private static void setDecimal(PreparedStatement statement, int index, BigDecimal value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.DECIMAL);
        } else {
            statement.setBigDecimal(index, value);
        }
    }

    boolean delete(String id) {
        return database.metadata(connection -> retire(connection, id));
    }

    private static boolean retire(Connection connection, String id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE price_entries SET deleted = true WHERE id = ? AND NOT deleted")) {
            statement.setString(1, id);
            return statement.executeUpdate() > 0;
        }
    }
}
