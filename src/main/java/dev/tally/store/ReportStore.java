package dev.tally.store;

import dev.tally.store.rollup.MemberUsageRollup;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlDialect;
import java.util.List;

/**
 * What reports ask a store. Reports write their SQL once, over relations the store renders: a
 * raw table read so that each (tenant, id) counts once ({@link #table}), and a rollup's rows for a
 * tenant and range ({@link #rollup}), which the store answers from its rollup tables, its raw
 * tables or both, as it sees fit. Reports never learn which; every store runs the same contract
 * suites, with and without its rollups, so all of them answer alike.
 */
public interface ReportStore {

    /** Runs a read-only query built over this store's relations and {@link #dialect()}. */
    List<Row> query(Sql sql);

    SqlDialect dialect();

    /** The raw table as a reference to put after {@code FROM}; give it an alias with a subquery, not after it. */
    String table(RawTable table);

    /** The rollup's rows for the read, a parenthesised relation to put after {@code FROM}. */
    Sql rollup(RollupRead read);

    /**
     * This store for one report's reads of a tenant's {@code [fromMs, toMs)}: a store may read what
     * it needs to know about that range once (ClickHouse: which hours have current rollups) instead
     * of at every query. Every write acknowledged before this call is seen by its reads.
     */
    default ReportStore session(String tenantId, long fromMs, long toMs) {
        return this;
    }

    /** A member's chats, attributed messages and attributed credits over whole UTC days {@code [firstDay, lastDay]}. */
    MemberUsageRollup.Totals memberUsage(String tenantId, String memberId, long firstDay, long lastDay);
}
