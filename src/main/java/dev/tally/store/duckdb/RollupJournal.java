package dev.tally.store.duckdb;

import dev.tally.store.rollup.MemberUsageRollup;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The (tenant, UTC day) pairs whose rollup rows this run of the server has written, kept in the
 * store in the same transaction as the rows, and emptied when the store closes cleanly. A journal
 * that is not empty when the store opens says the last run ended without closing (a crash, a
 * {@code kill -9}): the rollups of exactly those days are then checked against the raw rows
 * before the store serves. A pair is written once per run, so a write adds a row only for a day it
 * is the first to touch.
 */
final class RollupJournal {
    static final String TABLE = "rollup_journal";
    static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE
            + " (tenant_id VARCHAR NOT NULL, day BIGINT NOT NULL)";

    private final Map<String, Set<Long>> journaled = new HashMap<>();
    private final List<Object[]> pending = new ArrayList<>();

    /** Appends, in the write's transaction, the pairs of its delta rows that this run has not journaled. */
    void append(DuckDBConnection connection, Rollups.Deltas deltas, MemberUsageRollup.Deltas memberUsage)
            throws SQLException {
        Map<String, Set<Long>> seen = new HashMap<>();
        for (RollupTable table : Rollups.ALL) {
            for (List<Object> group : deltas.groups(table)) {
                long day = switch (table.grain()) {
                    case DAY -> (Long) group.get(1);
                    case HOUR -> Math.floorDiv((Long) group.get(1), 24);
                };
                note((String) group.get(0), day, seen);
            }
        }
        for (Object[] row : memberUsage.rows()) {
            note((String) row[0], (Long) row[1], seen);
        }
        if (pending.isEmpty()) {
            return;
        }
        try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, TABLE)) {
            for (Object[] pair : pending) {
                appender.beginRow();
                appender.append((String) pair[0]);
                appender.append((Long) pair[1]);
                appender.endRow();
            }
        }
    }

    private void note(String tenant, long day, Map<String, Set<Long>> seen) {
        if (!journaled.getOrDefault(tenant, Set.of()).contains(day)
                && seen.computeIfAbsent(tenant, any -> new HashSet<>()).add(day)) {
            pending.add(new Object[] {tenant, day});
        }
    }

    void committed() {
        for (Object[] pair : pending) {
            journaled.computeIfAbsent((String) pair[0], any -> new HashSet<>()).add((Long) pair[1]);
        }
        pending.clear();
    }

    void rolledBack() {
        pending.clear();
    }

    static long size(DuckDBConnection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*) FROM " + TABLE)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** The journaled days as the scope of a check ({@link RollupScope#LISTED_DAYS}). */
    static void toCheckScope(DuckDBConnection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE OR REPLACE TEMP TABLE " + RollupScope.TABLE
                    + " AS SELECT DISTINCT tenant_id, day FROM " + TABLE);
        }
    }

    /** A clean close, or a check of the last run's days done: nothing is left to check. */
    void clear(DuckDBConnection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM " + TABLE);
        }
        journaled.clear();
    }
}
