package dev.tally.store.duckdb;

import dev.tally.store.ReportStore;
import dev.tally.store.rollup.MemberUsageRollup;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.rollup.RollupRelations;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlDialect;
import java.util.List;

/**
 * How DuckDB answers reports: the rollup tables for the whole slots a read spans and the raw rows
 * for the rest, since the rollups commit with the events and are always current. The same store
 * can be read without its rollups ({@link DuckDbEventStore#withoutRollups()}): every rollup row
 * is then derived from the raw rows, which the contract suites compare with the rollups' answers.
 */
final class DuckDbReports implements ReportStore {
    private final DuckDbDatabase database;
    private final SqlDialect dialect;
    private final boolean readsRollups;

    DuckDbReports(DuckDbDatabase database, SqlDialect dialect, boolean readsRollups) {
        this.database = database;
        this.dialect = dialect;
        this.readsRollups = readsRollups;
    }

    @Override
    public List<Row> query(Sql sql) {
        return database.read(connection -> DuckDbEventStore.run(connection, sql));
    }

    @Override
    public SqlDialect dialect() {
        return dialect;
    }

    /** One row per (tenant, id) already: the writer never stores an id twice, and replaces a call in place. */
    @Override
    public String rows(RawTable table) {
        return table.tableName() + " WHERE ";
    }

    @Override
    public Sql rollup(RollupRead read) {
        String raw = rows(read.table().source());
        return readsRollups ? RollupRelations.stored(read, raw, dialect) : RollupRelations.derived(read, raw, dialect);
    }

    @Override
    public MemberUsageRollup.Totals memberUsage(String tenantId, String memberId, long firstDay, long lastDay) {
        Sql sql = readsRollups ? MemberUsageRollup.readTable(tenantId, memberId, firstDay, lastDay)
                : MemberUsageRollup.readRaw(rows(RawTable.EVENTS), tenantId, memberId, firstDay, lastDay);
        return MemberUsageRollup.totals(query(sql).get(0));
    }
}
