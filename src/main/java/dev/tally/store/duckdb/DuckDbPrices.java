package dev.tally.store.duckdb;

import dev.tally.pricing.PriceEntry;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** Operator price entries in DuckDB. Deleted entries are flagged, not removed, so an audit can see them. */
final class DuckDbPrices {
    private static final String COLUMNS = "id, tenant_id, provider, model, effective_from, input_per_million,"
            + " cached_input_per_million, cache_creation_per_million, output_per_million, input_audio_per_million,"
            + " output_audio_per_million, credit_multiplier";

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
                    entries.add(new PriceEntry(result.getString(1), result.getString(2), result.getString(3),
                            result.getString(4), result.getDate(5).toLocalDate(), result.getBigDecimal(6),
                            result.getBigDecimal(7), result.getBigDecimal(8), result.getBigDecimal(9),
                            result.getBigDecimal(10), result.getBigDecimal(11), result.getBigDecimal(12)));
                }
            }
            return entries;
        });
    }

    void insert(PriceEntry entry) {
        database.metadata(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO price_entries (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                statement.setString(1, entry.id());
                statement.setString(2, entry.tenantId());
                statement.setString(3, entry.provider());
                statement.setString(4, entry.model());
                statement.setDate(5, Date.valueOf(entry.effectiveFrom()));
                setDecimal(statement, 6, entry.inputPerMillion());
                setDecimal(statement, 7, entry.cachedInputPerMillion());
                setDecimal(statement, 8, entry.cacheCreationPerMillion());
                setDecimal(statement, 9, entry.outputPerMillion());
                setDecimal(statement, 10, entry.inputAudioPerMillion());
                setDecimal(statement, 11, entry.outputAudioPerMillion());
                setDecimal(statement, 12, entry.creditMultiplier());
                statement.executeUpdate();
            }
            return null;
        });
    }

    private static void setDecimal(PreparedStatement statement, int index, BigDecimal value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.DECIMAL);
        } else {
            statement.setBigDecimal(index, value);
        }
    }

    boolean delete(String id) {
        return database.metadata(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE price_entries SET deleted = true WHERE id = ? AND NOT deleted")) {
                statement.setString(1, id);
                return statement.executeUpdate() > 0;
            }
        });
    }
}
