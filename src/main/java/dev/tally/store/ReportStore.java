package dev.tally.store;

import dev.tally.store.callcost.CallCostDetail;
import dev.tally.store.callcost.CallCostQuery;
import dev.tally.store.callcost.CallCostSummary;
import dev.tally.store.export.EventExport;
import dev.tally.store.export.ExportFormat;
import dev.tally.store.rollup.MemberUsageRollup;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlDialect;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * What reports ask a store. Reports write their SQL once, over relations the store renders: a
 * raw table's current rows, each (tenant, id) once ({@link #rows}), and a rollup's rows for a
 * tenant and range ({@link #rollup}), which the store answers from its rollup tables, its raw
 * tables or both, as it sees fit. Reports never learn which; every store runs the same contract
 * suites, with and without its rollups, so all of them answer alike.
 */
public interface ReportStore {

    /** Runs a read-only query built over this store's relations and {@link #dialect()}. */
    List<Row> query(Sql sql);

    SqlDialect dialect();

    /**
     * The raw table's current rows, to put after {@code FROM}: a table reference followed by an open
     * {@code WHERE} that the caller completes with its conditions ({@code "tenant_id = ?"}), because
     * a store may need a condition of its own there (ClickHouse leaves out the tombstones of moved
     * rows) and a filter around a subquery would not reach its index. Give it an alias with a
     * subquery around it, not after it.
     */
    String rows(RawTable table);

    /** The rollup's rows for the read, a parenthesised relation to put after {@code FROM}. */
    Sql rollup(RollupRead read);

    /**
     * This store for one report's reads of a tenant's (null: every tenant's) {@code [fromMs, toMs)}:
     * a store may read what it needs to know about that range once (ClickHouse: which hours have
     * current rollups) instead of at every query. Every write acknowledged before this call is seen by its reads.
     */
    default ReportStore session(String tenantId, long fromMs, long toMs) {
        return this;
    }

    /** A member's chats, attributed messages and attributed credits over whole UTC days {@code [firstDay, lastDay]}. */
    MemberUsageRollup.Totals memberUsage(String tenantId, String memberId, long firstDay, long lastDay);

    /** One call's cost, split into its parts, with the events naming it; empty when the tenant has no such call. */
    Optional<CallCostDetail> callCost(String tenantId, String callId);

    /**
     * From when the tenant's call costs are whole: a store that adds them up from raw rows answers
     * without the calls retention deleted; empty when every call is there (a store keeping per-call rows).
     */
    default java.util.OptionalLong callCostsWholeFrom(String tenantId) {
        return java.util.OptionalLong.empty();
    }

    /** The cost of the calls started in a range: by day and agent, the first calls in order, the mismatches. */
    CallCostSummary callCosts(CallCostQuery query);

    /** Whether {@link #exportEvents} can write this format here. */
    boolean exports(ExportFormat format);

    /** Writes the export's rows to {@code out} as they are read: never the whole range in memory. */
    void exportEvents(EventExport export, OutputStream out) throws IOException;
}
