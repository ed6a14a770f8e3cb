package dev.tally.store.duckdb;

import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.store.ReportStore;
import dev.tally.store.callcost.CallCostDeltas;
import dev.tally.store.callcost.CallCostDetail;
import dev.tally.store.callcost.CallCostOrder;
import dev.tally.store.callcost.CallCostQuery;
import dev.tally.store.callcost.CallCostReads;
import dev.tally.store.callcost.CallCostSummary;
import dev.tally.store.callcost.CostComponent;
import dev.tally.store.export.EventExport;
import dev.tally.store.export.ExportFormat;
import dev.tally.store.rollup.MemberUsageRollup;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.rollup.RollupRelations;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.store.sql.SqlDialect;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

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
    private final CallCostReads callCosts;
    private final dev.tally.store.StoreMeters meters;
    private final ReadyRowsKnown readyRows;

    /** What the writer knows of the call-cost ready rows, so a report need not ask the tables. */
    interface ReadyRowsKnown {
        /** Whether the tenant may have calls touched since their ready rows were made ({@link TouchedTenants}). */
        boolean mayHaveTouchedCalls(String tenantId);

        /** Whether the tenant may have a mismatched ready call started in [fromMs, toMs) ({@link MismatchedRanges}). */
        boolean mayHaveMismatchedCalls(String tenantId, long fromMs, long toMs);
    }

    DuckDbReports(DuckDbDatabase database, SqlDialect dialect, boolean readsRollups, dev.tally.store.StoreMeters meters,
            ReadyRowsKnown readyRows) {
        this.database = database;
        this.readyRows = readyRows;
        this.meters = meters;
        this.dialect = dialect;
        this.readsRollups = readsRollups;
        String events = rows(RawTable.EVENTS);
        this.callCosts = new CallCostReads(this::query, rows(RawTable.CALLS), dialect,
                readsRollups ? new StoredParts(events) : CallCostReads.rawParts(events, rows(RawTable.CALLS), dialect));
    }

    @Override
    public List<Row> query(Sql sql) {
        return meters.reportQuery(() -> database.read(connection -> DuckDbEventStore.run(connection, sql)));
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
        return readsRollups ? StaleExtremes.guarded(read, RollupRelations.stored(read, raw, dialect))
                : RollupRelations.derived(read, raw, dialect);
    }

    @Override
    public MemberUsageRollup.Totals memberUsage(String tenantId, String memberId, long firstDay, long lastDay) {
        Sql sql = readsRollups ? MemberUsageRollup.readTable(tenantId, memberId, firstDay, lastDay)
                : MemberUsageRollup.readRaw(rows(RawTable.EVENTS), tenantId, memberId, firstDay, lastDay);
        return MemberUsageRollup.totals(query(sql).get(0));
    }

    @Override
    public Optional<CallCostDetail> callCost(String tenantId, String callId) {
        return callCosts.callCost(tenantId, callId);
    }

    @Override
    public CallCostSummary callCosts(CallCostQuery query) {
        return callCosts.callCosts(query);
    }

    /** Read with rollups, the per-call rows keep every call; read without, call costs add up raw rows retention may have deleted. */
    @Override
    public java.util.OptionalLong callCostsWholeFrom(String tenantId) {
        if (readsRollups) {
            return java.util.OptionalLong.empty();
        }
        Object keptFrom = query(new Sql("SELECT max(from_ms) AS from_ms FROM " + DuckDbRetention.TABLE
                + " WHERE tenant_id = ?", List.of(tenantId))).get(0).get("from_ms");
        return keptFrom == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(((Number) keptFrom).longValue());
    }

    /**
     * Parts from the per-call table the writer keeps ({@link CallCostDeltas}): a tenant's calls' sums
     * without reading their events, and one call's events read only between its first and last part's time.
     */
    private final class StoredParts implements CallCostReads.Parts {
        private final String events;

        StoredParts(String events) {
            this.events = events;
        }

        @Override
        public Sql sums(String tenantId, Sql calls) {
            // the calls' id hashes are the rows' call hashes: a semi-join on integers before anything is added up
            return partSums(tenantId, new SqlBuilder().append("(SELECT id_hash FROM " + rows(RawTable.CALLS))
                    .append(calls).append(")").build());
        }

        /** The parts of the tenant's calls whose hash is among {@code hashes}, one row per call. */
        private Sql partSums(String tenantId, Sql hashes) {
            SqlBuilder sql = new SqlBuilder().append("(SELECT tenant_id, call_id AS call_key");
            for (CostComponent component : CostComponent.PARTS) {
                sql.append(", sum(" + component.column() + ")::BIGINT AS part_" + component.key());
            }
            return sql.append(", sum(unpriced)::BIGINT AS part_unpriced FROM " + CallCostDeltas.TABLE
                    + " WHERE tenant_id = ").value(tenantId).append(" AND call_hash IN ").append(hashes)
                    .append(" GROUP BY tenant_id, call_id)").build();
        }

        /**
         * The calls' ready rows and day sums, but for the calls a write touched since they were built:
         * those are joined from their current call row and per-call costs, as the reports without
         * ready rows do, and their ready rows are taken back out of the day sums.
         */
        @Override
        public Optional<CallCostReads.Ready> ready(CallCostQuery request, Sql condition) {
            String columns = String.join(", ", CallCostReads.PER_CALL_COLUMNS);
            SqlBuilder ready = new SqlBuilder().append("(SELECT " + columns + " FROM " + DuckDbCallCostRows.CALL_ROWS
                    + " WHERE ").append(condition);
            Sql changed = new SqlBuilder().append("(SELECT call_hash FROM " + CallCostDeltas.CHANGED_TABLE
                    + " WHERE tenant_id = ").value(request.tenantId()).append(")").build();
            // after the writer's idle refresh the tenant has no touched call: the ready rows are the answer
            long touched = !readyRows.mayHaveTouchedCalls(request.tenantId()) ? 0
                    : query(new SqlBuilder().append("SELECT count(*) AS touched FROM ").append(changed)
                            .append(" AS touched_calls").build()).get(0).longValue("touched");
            if (touched == 0) {
                return Optional.of(new CallCostReads.Ready(ready.append(")").build(), daySums(request, null),
                        true, firstByCost(request, condition, 0).map(first -> new SqlBuilder().append("(")
                                .append(first).append(")").build()),
                        Optional.of(new SqlBuilder().append("(").append(DuckDbCallCostRows.mismatchCandidates(condition))
                                .append(")").build()),
                        !readyRows.mayHaveMismatchedCalls(request.tenantId(), request.fromMs(), request.toMs())));
            }
            Sql changedCalls = new SqlBuilder().append(condition).append(" AND id_hash IN ").append(changed).build();
            Sql current = new SqlBuilder().append("SELECT " + columns + " FROM (")
                    .append(CallCostReads.perCall(rows(RawTable.CALLS), changedCalls, partSums(request.tenantId(),
                            changed)))
                    .append(") AS changed_calls").build();
            Sql perCall = ready.append(" AND call_hash NOT IN ").append(changed).append(" UNION ALL ").append(current)
                    .append(")").build();
            Sql corrections = new SqlBuilder().append("SELECT time_ms // " + CallCostReads.DAY_MS + " AS call_day, agent_id, "
                    + CallCostReads.groupMeasures("-1") + " FROM " + DuckDbCallCostRows.CALL_ROWS + " WHERE ")
                    .append(condition).append(" AND call_hash IN ").append(changed)
                    .append(" UNION ALL SELECT time_ms // " + CallCostReads.DAY_MS + " AS call_day, agent_id, "
                            + CallCostReads.groupMeasures("1") + " FROM (").append(current).append(") AS current_calls")
                    .build();
            Optional<Sql> first = firstByCost(request, condition, touched).map(ranked -> new SqlBuilder().append("(")
                    .append(ranked).append(" AND call_hash NOT IN ").append(changed).append(" UNION ALL ").append(current)
                    .append(")").build());
            Sql mismatchCandidates = new SqlBuilder().append("(").append(DuckDbCallCostRows.mismatchCandidates(condition))
                    .append(" AND call_hash NOT IN ").append(changed).append(" UNION ALL ").append(current).append(")")
                    .build();
            return Optional.of(new CallCostReads.Ready(perCall, daySums(request, corrections), false, first,
                    Optional.of(mismatchCandidates), false));
        }

        /**
         * The ready rows ranked among the first of their days ({@link DuckDbCallCostRows#firstByCost}),
         * when the request lists calls by cost over whole UTC days; empty otherwise.
         */
        private Optional<Sql> firstByCost(CallCostQuery request, Sql condition, long touched) {
            if (request.order() == CallCostOrder.STARTED_DESC || !wholeDays(request)) {
                return Optional.empty();
            }
            return Optional.of(DuckDbCallCostRows.firstByCost(request, condition, touched));
        }

        /**
         * The request's sums by day and agent from the day rows, each group corrected by
         * {@code corrections} (rows of {@link CallCostReads#GROUP_COLUMNS}); empty unless the request
         * spans whole UTC days, as the report's dates do.
         */
        private Optional<Sql> daySums(CallCostQuery request, Sql corrections) {
            long day = CallCostReads.DAY_MS;
            if (!wholeDays(request)) {
                return Optional.empty();
            }
            List<String> measures = CallCostReads.GROUP_COLUMNS.subList(2, CallCostReads.GROUP_COLUMNS.size());
            SqlBuilder stored = new SqlBuilder().append("SELECT call_day, agent_id, " + String.join(", ", measures)
                    + " FROM " + DuckDbCallCostRows.DAY_ROWS + " WHERE tenant_id = ").value(request.tenantId())
                    .append(" AND call_day >= ").value(Math.floorDiv(request.fromMs(), day))
                    .append(" AND call_day < ").value(Math.floorDiv(request.toMs(), day));
            if (request.agentId() != null) {
                stored.append(" AND agent_id = ").value(request.agentId());
            }
            if (corrections == null) {
                // one row per group already
                return Optional.of(new SqlBuilder().append("(").append(stored.build()).append(")").build());
            }
            // a group whose every call moved away since the rebuild holds no call any more
            return Optional.of(new SqlBuilder().append("(SELECT call_day, agent_id, " + measures.stream()
                    .map(column -> "sum(" + column + ")::BIGINT AS " + column).collect(Collectors.joining(", "))
                    + " FROM (").append(stored.build()).append(" UNION ALL ").append(corrections)
                    .append(") AS day_rows GROUP BY call_day, agent_id HAVING sum(call_count) <> 0)").build());
        }

        private static boolean wholeDays(CallCostQuery request) {
            return request.fromMs() % CallCostReads.DAY_MS == 0 && request.toMs() % CallCostReads.DAY_MS == 0;
        }

        @Override
        public Sql events(String tenantId, String callId) {
            Row bounds = query(new SqlBuilder().append("SELECT sum(events) AS part_events, min(first_ms) AS first_part,"
                    + " max(last_ms) AS last_part FROM " + CallCostDeltas.TABLE + " WHERE tenant_id = ").value(tenantId)
                    .append(" AND call_hash = ").value(IdFingerprint.of(tenantId, callId))
                    .append(" AND call_id = ").value(callId).build()).get(0);
            if (bounds.longValue("part_events") == 0) {
                return null;
            }
            return CallCostReads.partEvents(events, tenantId, callId, bounds.longValue("first_part"),
                    bounds.longValue("last_part"));
        }
    }

    /** DuckDB writes every format itself, Parquet included. */
    @Override
    public boolean exports(ExportFormat format) {
        return true;
    }

    /**
     * Has DuckDB write the rows to a file with its own writer ({@code COPY}), which spills what it
     * cannot hold, then streams the file: the server's memory stays flat whatever the range.
     */
    @Override
    public void exportEvents(EventExport export, OutputStream out) throws IOException {
        Path file = Files.createTempFile("tally-export-", "." + export.format().wireName());
        try {
            String options = switch (export.format()) {
                case NDJSON -> "FORMAT json";
                case CSV -> "FORMAT csv, HEADER";
                case PARQUET -> "FORMAT parquet";
            };
            Sql select = export.select(this::rows);
            // the path is ours (a temporary file), never the caller's: quoted as a literal it cannot break out
            Sql copy = new Sql("COPY (" + select.text() + ") TO '" + file.toString().replace("'", "''") + "' ("
                    + options + ")", select.parameters());
            database.read(connection -> {
                DuckDbEventStore.update(connection, copy);
                return null;
            });
            Files.copy(file, out);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
