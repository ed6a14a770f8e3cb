package dev.tally.store.duckdb;

import dev.tally.event.Event;
import dev.tally.store.callcost.CallCostDeltas;
import dev.tally.store.rollup.MemberUsageRollup;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.EventColumn;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;

/**
 * The rollup tables in DuckDB: created with the schema, appended to in the writer's transaction,
 * compacted by the writer when enough delta rows have piled up, and rebuilt from the raw tables
 * when a store written with another {@link Rollups#VERSION} (or before rollups existed) is opened.
 *
 * <p>The member usage table is not one of {@link Rollups#ALL}: its rows depend on chat ownership,
 * which the event store resolves ({@code MemberAttribution}), and its groups have no count column
 * whose zero marks a cancelled group, so it is created, appended and compacted on its own.
 */
final class DuckDbRollups implements DuckDbReports.ReadyRowsKnown {
    /**
     * Delta rows a table takes before the writer folds them together, at least; a table already
     * larger than this waits until it has taken as many rows as it holds, so the cost of rewriting
     * it stays a constant share of the rows written, however large it grows.
     */
    private static final long COMPACT_AFTER_ROWS = 50_000;
    /** Rows a backfill reads before it writes their deltas. */
    private static final long BACKFILL_ROWS = 1_000_000;

    /**
     * When the writer has nothing to write, a table is folded once its deltas are this share of
     * its size: reports after a burst of ingest then read compacted tables, while a trickle of
     * events cannot keep the writer rewriting a large table (each rollup row is rewritten at most
     * this many times more often than it is written).
     */
    private static final long IDLE_COMPACT_SHARE = 8;

    private final Map<RollupTable, long[]> rowCounts = new java.util.IdentityHashMap<>();
    /** Delta rows of the write in progress, counted once it commits. */
    private final Map<RollupTable, Long> pendingRows = new java.util.IdentityHashMap<>();
    private long pendingMemberRows;
    private long pendingCallCostRows;
    private long pendingChangedRows;
    /** Groups listed in {@link StaleExtremes} by the write in progress, and since the lists were last emptied. */
    private long pendingStale;
    private long staleListed;
    /** Calls listed as changed since the per-call rows were rebuilt, and how many rows that rebuild made. */
    private long changedRowsSinceRebuild;
    /** Rows listing touched calls since their ready rows were last brought up to date, by a rebuild or a refresh. */
    private long touchedSinceRefresh;
    private long callRowsAfterRebuild;
    /** Per-call cost delta rows since that table was last folded, and the rows that fold left. */
    private long callCostRowsSinceCompaction;
    private long callCostRowsAfterCompaction;
    private final TouchedTenants touchedTenants = new TouchedTenants();
    private final MismatchedRanges mismatchedRanges = new MismatchedRanges();

    DuckDbRollups() {
        for (RollupTable table : Rollups.ALL) {
            // [0]: delta rows since the last compaction, [1]: rows the last compaction left
            rowCounts.put(table, new long[2]);
        }
    }

    /** Member usage delta rows since that table was last compacted, and the rows that compaction left. */
    private long memberRowsSinceCompaction;
    private long memberRowsAfterCompaction;
    /**
     * The member usage of the stored events in one statement, by the raw query's rules: chats for
     * the member they name; messages and LLM credits for the member they name and, when another,
     * for their chat's owner.
     */
    private static final String MEMBER_USAGE_BACKFILL = memberUsageBackfill(RollupScope.EVERYTHING);

    /** The member usage of the stored events in the scope, in one statement, by {@link MemberUsageRollup}'s rules. */
    static String memberUsageBackfill(RollupScope scope) {
        return "INSERT INTO " + MemberUsageRollup.TABLE
            + " SELECT tenant_id, day, member_id, sum(chats)::BIGINT, sum(messages)::BIGINT,"
            + " sum(credits_micros)::BIGINT FROM (" + MemberUsageRollup.attributions("events", scope::rawRows,
                    "day", DuckDbRollups::day, MemberUsageRollup.ownersOf("events")) + ")"
            + " GROUP BY ALL HAVING sum(chats) <> 0 OR sum(messages) <> 0 OR sum(credits_micros) <> 0";
    }

    static void createTables(Statement statement) throws SQLException {
        for (RollupTable table : Rollups.ALL) {
            StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS " + table.name()
                    + " (tenant_id VARCHAR NOT NULL, " + table.grain().column() + " BIGINT NOT NULL");
            for (EventColumn key : table.keys()) {
                ddl.append(", ").append(key.name()).append(key.kind() == dev.tally.store.sql.ColumnKind.STRING
                        ? " VARCHAR" : " INTEGER NOT NULL");
            }
            for (RollupTable.Measure measure : table.measures()) {
                ddl.append(", ").append(measure.name()).append(" BIGINT NOT NULL");
            }
            statement.execute(ddl.append(")").toString());
        }
        statement.execute("CREATE TABLE IF NOT EXISTS " + MemberUsageRollup.TABLE + " (tenant_id VARCHAR NOT NULL,"
                + " day BIGINT NOT NULL, member_id VARCHAR NOT NULL, chats BIGINT NOT NULL, messages BIGINT NOT NULL,"
                + " credits_micros BIGINT NOT NULL)");
        statement.execute(CALL_COSTS_CREATE);
        statement.execute("CREATE TABLE IF NOT EXISTS " + CallCostDeltas.CHANGED_TABLE
                + " (tenant_id VARCHAR NOT NULL, call_hash BIGINT NOT NULL)");
        DuckDbCallCostRows.create(statement);
        StaleExtremes.createTables(statement);
        statement.execute("CREATE TABLE IF NOT EXISTS rollup_state (version INTEGER NOT NULL)");
        statement.execute(RollupJournal.CREATE);
    }

    /** The per-call cost table: delta rows keyed by the call, folded to one row a call sorted by its hash. */
    private static final String CALL_COSTS_CREATE = "CREATE TABLE IF NOT EXISTS " + CallCostDeltas.TABLE + " ("
            + CallCostDeltas.COLUMNS.stream().map(column -> column + switch (column) {
                case "tenant_id", "call_id" -> " VARCHAR NOT NULL";
                default -> " BIGINT NOT NULL";
            }).collect(Collectors.joining(", ")) + ")";

    private static void dropTables(Statement statement) throws SQLException {
        StaleExtremes.dropTables(statement);
        for (RollupTable table : Rollups.ALL) {
            statement.execute("DROP TABLE IF EXISTS " + table.name());
        }
        statement.execute("DROP TABLE IF EXISTS " + MemberUsageRollup.TABLE);
        statement.execute("DROP TABLE IF EXISTS " + CallCostDeltas.TABLE);
        statement.execute("DROP TABLE IF EXISTS " + CallCostDeltas.CHANGED_TABLE);
        DuckDbCallCostRows.drop(statement);
    }

    /** Appends the member usage deltas of one write, in the caller's open transaction. */
    void append(DuckDBConnection connection, MemberUsageRollup.Deltas deltas) throws SQLException {
        if (deltas.isEmpty()) {
            return;
        }
        List<Object[]> rows = deltas.rows();
        AppenderValues.appendRows(connection, MemberUsageRollup.TABLE, rows);
        pendingMemberRows += rows.size();
    }

    /**
     * Appends the deltas of one write, in the caller's open transaction, telling the faults after each
     * table, so a test can fail a write between two tables: the tables of {@link Rollups#ALL}, then the
     * per-call costs and the calls they changed.
     */
    void append(DuckDBConnection connection, Rollups.Deltas deltas, WriteFaults faults, GroupMembers members)
            throws SQLException {
        appendRollupTables(connection, deltas, faults, members);
        if (!deltas.callCosts().isEmpty()) {
            appendCallCosts(connection, deltas.callCosts());
            faults.reached(WriteStep.ROLLUP_TABLE_APPENDED);
        }
        List<Object[]> changed = deltas.callCosts().changedRows();
        if (!changed.isEmpty()) {
            changed.forEach(row -> touchedTenants.touching((String) row[0]));
            AppenderValues.appendRows(connection, CallCostDeltas.CHANGED_TABLE, changed);
            pendingChangedRows += changed.size();
        }
    }

    /**
     * The rows of {@link Rollups#ALL} only: what a rebuild of days appends, since the per-call costs are
     * keyed by call, not day, and are not taken out with a day's rows.
     */
    private void appendRollupTables(DuckDBConnection connection, Rollups.Deltas deltas, WriteFaults faults,
            GroupMembers members) throws SQLException {
        for (RollupTable table : Rollups.ALL) {
            Set<List<Object>> stale = deltas.lost(table).isEmpty() ? Set.of()
                    : LostExtremes.mayHaveLost(table, deltas, members);
            var rows = deltas.rows(table, Set.of());
            if (rows.isEmpty() && stale.isEmpty()) {
                continue;
            }
            AppenderValues.appendRows(connection, table.name(), rows);
            if (!stale.isEmpty()) {
                StaleExtremes.list(connection, table, stale);
                pendingStale += stale.size();
            }
            members.written(table, rows, stale);
            pendingRows.merge(table, (long) rows.size(), Long::sum);
            faults.reached(WriteStep.ROLLUP_TABLE_APPENDED);
        }
    }

    private void appendCallCosts(DuckDBConnection connection, CallCostDeltas deltas) throws SQLException {
        if (deltas.isEmpty()) {
            return;
        }
        List<Object[]> rows = deltas.rows();
        AppenderValues.appendRows(connection, CallCostDeltas.TABLE, rows);
        pendingCallCostRows += rows.size();
    }

    /** The write's delta rows are committed: they count towards the next fold. */
    void committed() {
        pendingRows.forEach((table, rows) -> rowCounts.get(table)[0] += rows);
        memberRowsSinceCompaction += pendingMemberRows;
        callCostRowsSinceCompaction += pendingCallCostRows;
        changedRowsSinceRebuild += pendingChangedRows;
        touchedSinceRefresh += pendingChangedRows;
        staleListed += pendingStale;
        rolledBack();
    }

    /** The write's delta rows were rolled back: they never reached the tables. */
    void rolledBack() {
        pendingRows.clear();
        pendingMemberRows = 0;
        pendingCallCostRows = 0;
        pendingChangedRows = 0;
        pendingStale = 0;
    }

    /** Whether groups are listed with stale extremes ({@link StaleExtremes}), as far as this store knows. */
    boolean staleListed() {
        return staleListed > 0;
    }

    /** Whether so many groups are listed that the writer rebuilds them between two writes. */
    boolean staleRebuildDue() {
        return staleListed >= StaleExtremes.REBUILD_AFTER;
    }

    /** Counts the groups a store opened on this file finds listed (a run that ended before rebuilding them). */
    void countStale(DuckDBConnection connection) throws SQLException {
        staleListed = StaleExtremes.listed(connection);
    }

    /** Rebuilds the groups listed with stale extremes, one transaction; returns how many. */
    long rebuildStale(DuckDBConnection connection, WriteFaults faults) throws SQLException {
        long rebuilt = DuckDbTransaction.inTransaction(connection, () -> {
            long groups = StaleExtremes.rebuild(connection);
            faults.reached(WriteStep.STALE_EXTREMES_REBUILT);
            return groups;
        });
        staleListed = 0;
        return rebuilt;
    }

    boolean compactionDue() {
        return memberRowsSinceCompaction >= COMPACT_AFTER_ROWS || callCostsDue()
                || Rollups.ALL.stream().anyMatch(this::due);
    }

    /**
     * Calls a report reads from their current rows rather than the rows kept ready, at least, before
     * an idle writer rebuilds those: reads stay near the ready rows' speed while a trickle of writes
     * cannot keep the writer rebuilding.
     */
    private static final long IDLE_REBUILD_SHARE = 64;

    private boolean callCostsDue() {
        return callCostRowsSinceCompaction >= Math.max(COMPACT_AFTER_ROWS, callCostRowsAfterCompaction)
                || changedRowsSinceRebuild >= Math.max(COMPACT_AFTER_ROWS, callRowsAfterRebuild);
    }

    private boolean callCostsIdleDue() {
        return callCostRowsSinceCompaction > 0
                && callCostRowsSinceCompaction >= callCostRowsAfterCompaction / IDLE_COMPACT_SHARE
                || changedRowsSinceRebuild > 0 && changedRowsSinceRebuild >= callRowsAfterRebuild / IDLE_REBUILD_SHARE;
    }

    private boolean due(RollupTable table) {
        long[] counts = rowCounts.get(table);
        return counts[0] >= Math.max(COMPACT_AFTER_ROWS, counts[1]);
    }

    boolean idleCompactionDue() {
        return memberRowsSinceCompaction > 0 && memberRowsSinceCompaction >= memberRowsAfterCompaction / IDLE_COMPACT_SHARE
                || callCostsIdleDue() || Rollups.ALL.stream().anyMatch(this::idleDue);
    }

    private boolean idleDue(RollupTable table) {
        long[] counts = rowCounts.get(table);
        return counts[0] > 0 && counts[0] >= counts[1] / IDLE_COMPACT_SHARE;
    }

    /** Whether the tenant may have calls touched since their ready rows were last brought up to date. */
    @Override
    public boolean mayHaveTouchedCalls(String tenantId) {
        return touchedTenants.mayHaveTouched(tenantId);
    }

    /** Whether the tenant may have a mismatched ready call started in [fromMs, toMs) ({@link MismatchedRanges}). */
    @Override
    public boolean mayHaveMismatchedCalls(String tenantId, long fromMs, long toMs) {
        return mismatchedRanges.mayHave(tenantId, fromMs, toMs);
    }

    /**
     * In a transaction that refreshed or rebuilt the ready rows (a refresh, a fold, a repairing
     * check), before it commits; returns what to run once it has ({@link MismatchedRanges}).
     */
    Runnable rebuildingReadyRows(Statement statement) throws SQLException {
        Map<String, long[]> mismatched = mismatchedRanges.widen(statement);
        return () -> mismatchedRanges.committed(mismatched);
    }

    /** Whether calls were touched since their ready rows were last brought up to date. */
    boolean refreshDue() {
        return touchedSinceRefresh > 0;
    }

    /**
     * Brings the touched calls' ready rows up to date, one transaction, while the writer is idle:
     * it costs what those calls cost, where a full rebuild costs every call, so it runs at any
     * idle moment; the full rebuild still comes when enough rows were touched to have the table
     * sorted again.
     */
    void refreshTouchedCalls(DuckDBConnection connection) throws SQLException {
        Runnable committed = DuckDbTransaction.inTransaction(connection, () -> {
            try (Statement statement = connection.createStatement()) {
                DuckDbCallCostRows.refreshTouched(statement);
                return rebuildingReadyRows(statement);
            }
        });
        committed.run();
        touchedSinceRefresh = 0;
        touchedTenants.refreshed();
    }

    /** Folds the deltas of the tables worth folding while the writer is idle. */
    void compactIdle(DuckDBConnection connection) throws SQLException {
        compact(connection, Rollups.ALL.stream().filter(this::idleDue).toList(), callCostsIdleDue());
    }

    /** Folds the deltas of the tables that are due. */
    void compactDue(DuckDBConnection connection) throws SQLException {
        compact(connection, Rollups.ALL.stream().filter(this::due).toList(), callCostsDue());
    }

    /** Folds every table's deltas. */
    void compact(DuckDBConnection connection) throws SQLException {
        compact(connection, Rollups.ALL, true);
    }

    /**
     * Folds each table's deltas into one row per group, dropping groups that cancelled out, in
     * (tenant, time slot) order so DuckDB's per-block minimums and maximums skip the blocks of
     * other tenants and times. One transaction: readers see either the deltas or their sums,
     * which add up to the same.
     */
    private void compact(DuckDBConnection connection, List<RollupTable> tables, boolean callCosts) throws SQLException {
        Map<RollupTable, Long> remaining = new java.util.IdentityHashMap<>();
        Runnable[] readyRowsCommitted = {() -> { }};
        long memberRows = DuckDbTransaction.inTransaction(connection, () -> {
            try (Statement statement = connection.createStatement()) {
                for (RollupTable table : tables) {
                    statement.execute("CREATE OR REPLACE TEMP TABLE rollup_compacted AS "
                            + folded(table, RollupScope.EVERYTHING) + " ORDER BY tenant_id, " + table.grain().column());
                    statement.execute("DELETE FROM " + table.name());
                    statement.execute("INSERT INTO " + table.name() + " SELECT * FROM rollup_compacted");
                    remaining.put(table, count(statement, "rollup_compacted"));
                    statement.execute("DROP TABLE rollup_compacted");
                }
                // Sorted by member, so a member's report reads the few row groups whose min/max cover it.
                statement.execute("CREATE OR REPLACE TEMP TABLE rollup_compacted AS "
                        + foldedMemberUsage(RollupScope.EVERYTHING) + " ORDER BY tenant_id, member_id, day");
                statement.execute("DELETE FROM " + MemberUsageRollup.TABLE);
                statement.execute("INSERT INTO " + MemberUsageRollup.TABLE + " SELECT * FROM rollup_compacted");
                long rows = count(statement, "rollup_compacted");
                statement.execute("DROP TABLE rollup_compacted");
                if (callCosts) {
                    // Sorted by the call's hash, so one call's row is in the one row group whose min/max cover it;
                    // the largest of these tables, so folded only when its own deltas are due.
                    statement.execute("CREATE OR REPLACE TEMP TABLE rollup_compacted AS " + foldedCallCosts()
                            + " ORDER BY tenant_id, call_hash");
                    statement.execute("DELETE FROM " + CallCostDeltas.TABLE);
                    statement.execute("INSERT INTO " + CallCostDeltas.TABLE + " SELECT * FROM rollup_compacted");
                    callCostRowsAfterCompaction = count(statement, "rollup_compacted");
                    statement.execute("DROP TABLE rollup_compacted");
                    callRowsAfterRebuild = DuckDbCallCostRows.rebuild(statement);
                    readyRowsCommitted[0] = rebuildingReadyRows(statement);
                }
                return rows;
            }
        });
        if (callCosts) {
            readyRowsCommitted[0].run();
            callCostRowsSinceCompaction = 0;
            changedRowsSinceRebuild = 0;
            touchedTenants.refreshed();
            touchedSinceRefresh = 0;
        }
        memberRowsAfterCompaction = memberRows;
        remaining.forEach((table, count) -> rowCounts.put(table, new long[] {0, count}));
        memberRowsSinceCompaction = 0;
    }

    /** One row per group of the table's rows in the scope, groups that cancelled out left out. */
    static String folded(RollupTable table, RollupScope scope) {
        String keys = "tenant_id, " + table.grain().column() + table.keys().stream()
                .map(key -> ", " + key.name()).collect(Collectors.joining());
        String combined = table.measures().stream().map(DuckDbRollups::combined).collect(Collectors.joining(", "));
        return "SELECT " + keys + ", " + combined + " FROM " + table.name() + " WHERE true"
                + scope.rollupRows(table.name(), table.grain()) + " GROUP BY ALL HAVING sum(" + table.countColumn()
                + ") <> 0";
    }

    /** The same for the member usage table, whose groups have no count column. */
    static String foldedMemberUsage(RollupScope scope) {
        return "SELECT tenant_id, day, member_id, sum(chats)::BIGINT AS chats, sum(messages)::BIGINT AS messages,"
                + " sum(credits_micros)::BIGINT AS credits_micros FROM " + MemberUsageRollup.TABLE + " WHERE true"
                + scope.rollupRows(MemberUsageRollup.TABLE, RollupTable.Grain.DAY)
                + " GROUP BY ALL HAVING sum(chats) <> 0 OR sum(messages) <> 0 OR sum(credits_micros) <> 0";
    }

    /** One row per call of the per-call cost table; calls whose parts were all taken back are left out. */
    static String foldedCallCosts() {
        StringBuilder sums = new StringBuilder();
        for (String column : CallCostDeltas.COLUMNS.subList(3, CallCostDeltas.COLUMNS.size())) {
            String combine = switch (column) {
                case "first_ms" -> "min";
                case "last_ms" -> "max";
                default -> "sum";
            };
            sums.append(", ").append(combine).append("(").append(column).append(")::BIGINT AS ").append(column);
        }
        return "SELECT tenant_id, call_hash, call_id" + sums + " FROM " + CallCostDeltas.TABLE
                + " GROUP BY ALL HAVING sum(events) <> 0";
    }

    private static String combined(RollupTable.Measure measure) {
        return switch (measure.combine()) {
            case SUM -> "sum(" + measure.name() + ")::BIGINT AS " + measure.name();
            case MIN -> "min(" + measure.name() + ") AS " + measure.name();
            case MAX -> "max(" + measure.name() + ") AS " + measure.name();
        };
    }

    /**
     * Rebuilds the rollups from the raw tables when they were written by another version (or
     * not at all: a store from before rollups). Tables are dropped and made again, as their
     * columns may have changed.
     */
    void backfillIfNeeded(DuckDBConnection connection) throws SQLException {
        int version;
        try (Statement statement = connection.createStatement();
             ResultSet done = statement.executeQuery("SELECT coalesce(max(version), 0) FROM rollup_state")) {
            done.next();
            version = done.getInt(1);
        }
        if (version == Rollups.VERSION) {
            backfillCallCostsIfMissing(connection);
            DuckDbCallCostRows.rebuildIfMissing(connection);
            countStoredRows(connection);
            return;
        }
        DuckDbTransaction.inTransaction(connection, () -> {
            try (Statement statement = connection.createStatement()) {
                dropTables(statement);
                createTables(statement);
                statement.execute("DELETE FROM rollup_state");
            }
            backfillEventRollups(connection);
            backfillCallCosts(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute(MEMBER_USAGE_BACKFILL);
                statement.execute("INSERT INTO rollup_state VALUES (" + Rollups.VERSION + ")");
            }
            return null;
        });
        // the rebuilt tables are counted by the fold below, not as a write's deltas
        rolledBack();
        compact(connection);
    }

    /**
     * A store written before the per-call cost table existed has an empty one beside events naming
     * calls: it is filled from them once, in one transaction, as a rebuild would.
     */
    private void backfillCallCostsIfMissing(DuckDBConnection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (count(statement, CallCostDeltas.TABLE) > 0 || !anyPartStored(statement)) {
                return;
            }
        }
        DuckDbTransaction.inTransaction(connection, () -> {
            backfillCallCosts(connection);
            return null;
        });
        rolledBack();
    }

    private static boolean anyPartStored(Statement statement) throws SQLException {
        try (ResultSet result = statement.executeQuery("SELECT count(*) FROM (SELECT 1 FROM events WHERE call_id IS NOT"
                + " NULL LIMIT 1)")) {
            result.next();
            return result.getLong(1) > 0;
        }
    }

    /** Appends the per-call cost rows of every stored event naming a call, in the caller's transaction. */
    void backfillCallCosts(DuckDBConnection connection) throws SQLException {
        backfillCallCosts(connection, "");
    }

    /** The same for the events that meet {@code filter} (conditions over {@code events}, each after AND). */
    void backfillCallCosts(DuckDBConnection connection, String filter) throws SQLException {
        backfill(connection, "events", " AND call_id IS NOT NULL" + filter, (deltas, event) -> deltas.callCosts().add(event),
                deltas -> appendCallCosts(connection, deltas.callCosts()));
    }

    /** What a backfill does with the deltas of the rows read so far. */
    private interface DeltasWrite {
        void write(Rollups.Deltas deltas) throws SQLException;
    }

    /**
     * Adds every stored row of {@code table} meeting {@code filter} to deltas, written every
     * {@link #BACKFILL_ROWS} rows and at the end, so a backfill's memory does not grow with the table.
     */
    private static void backfill(DuckDBConnection connection, String table, String filter,
                                 BiConsumer<Rollups.Deltas, Event> add,
                                 DeltasWrite write) throws SQLException {
        var pending = new Object() {
            Rollups.Deltas deltas = new Rollups.Deltas();
            long rows;
        };
        StoredRows.forEach(connection, table, filter, event -> {
            add.accept(pending.deltas, event);
            if (++pending.rows == BACKFILL_ROWS) {
                write.write(pending.deltas);
                pending.deltas = new Rollups.Deltas();
                pending.rows = 0;
            }
        });
        write.write(pending.deltas);
    }

    /**
     * A store opened on a file starts its fold counts from the rows the tables hold, as if just
     * folded: otherwise the first idle moment after a restart would rewrite every large table
     * at once, holding up the writes that follow.
     */
    private void countStoredRows(DuckDBConnection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (RollupTable table : Rollups.ALL) {
                rowCounts.put(table, new long[] {0, count(statement, table.name())});
            }
            memberRowsAfterCompaction = count(statement, MemberUsageRollup.TABLE);
            callCostRowsAfterCompaction = count(statement, CallCostDeltas.TABLE);
            callRowsAfterRebuild = count(statement, DuckDbCallCostRows.CALL_ROWS);
            changedRowsSinceRebuild = count(statement, CallCostDeltas.CHANGED_TABLE);
            touchedSinceRefresh = changedRowsSinceRebuild;
        }
        touchedTenants.load(connection);
        try (Statement statement = connection.createStatement()) {
            mismatchedRanges.load(statement);
        }
    }

    private static long count(Statement statement, String table) throws SQLException {
        try (ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table)) {
            result.next();
            return result.getLong(1);
        }
    }

    /**
     * For a bulk load that appended the delta rows of {@link Rollups#ALL} itself: fills the member
     * usage table from the stored events and records the rollups as current.
     */
    static void completeBulkLoad(DuckDBConnection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM " + MemberUsageRollup.TABLE);
            statement.execute(MEMBER_USAGE_BACKFILL);
            statement.execute("DELETE FROM " + CallCostDeltas.TABLE);
            new DuckDbRollups().backfillCallCosts(connection);
            DuckDbCallCostRows.rebuild(statement);
            statement.execute("DELETE FROM rollup_state");
            statement.execute("INSERT INTO rollup_state VALUES (" + Rollups.VERSION + ")");
        }
    }

    private void backfillEventRollups(DuckDBConnection connection) throws SQLException {
        backfillEventRollups(connection, RollupScope.EVERYTHING);
    }

    /** Appends the rollup rows of the stored events and calls in the scope, in the caller's transaction. */
    void backfillEventRollups(DuckDBConnection connection, RollupScope scope) throws SQLException {
        for (String source : new String[] {"events", "calls"}) {
            backfill(connection, source, scope.rawRows(source), Rollups.Deltas::add,
                    deltas -> appendRollupTables(connection, deltas, WriteFaults.NONE, GroupMembers.NONE));
        }
    }

    /** The UTC day of a time column as {@link Rollups#day} computes it: floor division, exact for times before 1970 too. */
    static String day(String timeColumn) {
        return floorDivision(timeColumn, 86_400_000L);
    }

    static String floorDivision(String column, long divisor) {
        return "((" + column + " - ((" + column + " % " + divisor + ") + " + divisor + ") % " + divisor + ") // "
                + divisor + ")";
    }
}
