package dev.tally.store.callcost;

import dev.tally.event.CostSource;
import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.concurrent.Beside;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.store.sql.SqlDialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The cost of calls, written once for every store: the calls come from the store's current call
 * rows, the parts from a relation the store chooses ({@link Parts}): its per-call table, or the raw
 * events added up. Sums stay integers (nano-dollars, milliseconds) until the report prints them.
 */
public final class CallCostReads {
    /** A reported total that differs from the parts by more than a cent is a mismatch. */
    public static final long MISMATCH_NANOS = 10_000_000L;
    /** A per-call row whose reported total differs from the sum of its parts by more than {@link #MISMATCH_NANOS}. */
    public static final String MISMATCHED = "reported_total_cost_nanos IS NOT NULL AND "
            + "abs(reported_total_cost_nanos - total_nanos) > " + MISMATCH_NANOS;
    /** The length of a UTC day: the reports' days are whole days since the epoch. */
    public static final long DAY_MS = 86_400_000L;
    private static final String UNPRICED = "'" + CostSource.UNPRICED.wireName() + "'";

    /** Where a store reads the parts of calls from. */
    public interface Parts {
        /**
         * The parts of a tenant's calls that meet {@code calls} (conditions over the store's current call
         * rows, {@code tenant_id} first), a parenthesised relation of {@code call_key}, one
         * {@code part_<component>} column per {@link CostComponent#PARTS} and {@code part_unpriced}, one
         * row per call at most. Only the calls asked for are added up, not the tenant's every call; a few
         * others may come with them (the join with the calls leaves them out).
         */
        Sql sums(String tenantId, Sql calls);

        /**
         * The events naming one call that add to a part, a {@code SELECT} of {@code id, type, time_ms,
         * cost_nanos, cost_source, provider, model, kind}, or null when the store knows there are none.
         */
        Sql events(String tenantId, String callId);

        /**
         * The start times a call was written at, when the store keeps them apart, keyed by the call:
         * its row is then read at those times only. Empty when the store does not know them; an empty
         * set when it knows there is no such call.
         */
        default Optional<java.util.Set<Long>> callTimes(String tenantId, String callId) {
            return Optional.empty();
        }

        /**
         * The request's rows, when the store keeps them ready; empty to have them joined from the
         * calls and {@link #sums}, and added up by day and agent from those.
         *
         * @param condition the request's calls as conditions over call rows, {@code tenant_id} first
         */
        default Optional<Ready> ready(CallCostQuery request, Sql condition) {
            return Optional.empty();
        }
    }

    /**
     * Rows a store keeps ready for a request.
     *
     * @param perCall one row per call ({@link #PER_CALL_COLUMNS}), a parenthesised relation
     * @param groups the sums by day and agent ({@link #GROUP_COLUMNS}), a parenthesised relation, or
     *     empty to add them up from {@code perCall}
     * @param stored whether {@code perCall} is rows read as they are stored, cheap to read twice
     * @param firstByCost a parenthesised relation of per-call rows holding at least the request's
     *     first {@code limit} calls when it lists them by cost, fewer rows than {@code perCall}; or
     *     empty to sort {@code perCall}
     * @param mismatchCandidates a parenthesised relation of per-call rows holding at least every
     *     {@linkplain #MISMATCHED mismatched} call of the request, fewer rows than {@code perCall}; or
     *     empty to filter {@code perCall}
     * @param noneMismatched whether the store knows, without a query, that no call of the request is
     *     mismatched: the list of them is then not asked for
     */
    public record Ready(Sql perCall, Optional<Sql> groups, boolean stored, Optional<Sql> firstByCost,
                        Optional<Sql> mismatchCandidates, boolean noneMismatched) {
    }

    /** The columns of the sums by UTC day and agent: the day, the agent, then counts and one sum per component. */
    public static final List<String> GROUP_COLUMNS = groupColumns();

    private static List<String> groupColumns() {
        List<String> columns = new ArrayList<>(List.of("call_day", "agent_id", "call_count", "duration_sum"));
        for (CostComponent component : CostComponent.values()) {
            columns.add(component.key() + "_sum");
        }
        columns.add("unpriced_sum");
        return List.copyOf(columns);
    }

    /**
     * The measures of {@link #GROUP_COLUMNS} (after the day and agent) that one per-call row adds,
     * each multiplied by {@code sign} (1 or -1), in that order.
     */
    public static String groupMeasures(String sign) {
        StringBuilder measures = new StringBuilder(sign + " AS call_count, " + sign + " * coalesce(duration_ms, 0) AS duration_sum");
        for (CostComponent component : CostComponent.values()) {
            measures.append(", ").append(sign).append(" * ").append(component.column()).append(" AS ")
                    .append(component.key()).append("_sum");
        }
        return measures.append(", ").append(sign).append(" * unpriced_events AS unpriced_sum").toString();
    }

    private final Function<Sql, List<Row>> query;
    private final String callRows;
    private final SqlDialect dialect;
    private final Parts parts;

    /**
     * @param callRows the store's current call rows ({@code ReportStore.rows(CALLS)}): a table and an open {@code WHERE}
     */
    public CallCostReads(Function<Sql, List<Row>> query, String callRows, SqlDialect dialect, Parts parts) {
        this.query = query;
        this.callRows = callRows;
        this.dialect = dialect;
        this.parts = parts;
    }

    /** Parts added up from raw event rows ({@code ReportStore.rows(EVENTS)}), for a store without a per-call table. */
    public static Parts rawParts(String eventRows, String callRows, SqlDialect dialect) {
        return new Parts() {
            @Override
            public Sql sums(String tenantId, Sql calls) {
                return partSums(eventRows, callRows, dialect, tenantId, calls);
            }

            @Override
            public Sql events(String tenantId, String callId) {
                return partEvents(eventRows, tenantId, callId, null, null);
            }
        };
    }

    /** The parts of the calls meeting {@code calls} added up from raw event rows ({@link Parts#sums}). */
    private static Sql partSums(String eventRows, String callRows, SqlDialect dialect, String tenantId, Sql calls) {
        return new SqlBuilder().append("(SELECT tenant_id, " + dialect.knownNotNull("call_id") + " AS call_key"
                        + partSumColumns(dialect) + " FROM " + eventRows + "tenant_id = ").value(tenantId)
                .append(" AND call_id IS NOT NULL AND type IN " + CostComponent.partTypesSql()
                        + " AND call_id IN (SELECT id FROM " + callRows).append(calls)
                .append(") GROUP BY tenant_id, call_id)").build();
    }

    /** The names of a relation's part columns ({@link Parts#sums}): one per {@link CostComponent#PARTS}, then the unpriced count. */
    public static final List<String> PART_COLUMNS = partColumns();

    private static List<String> partColumns() {
        List<String> columns = new ArrayList<>();
        CostComponent.PARTS.forEach(component -> columns.add("part_" + component.key()));
        columns.add("part_unpriced");
        return List.copyOf(columns);
    }

    /**
     * The select items adding up raw event rows into {@link #PART_COLUMNS}, each after a comma: the
     * rule of {@link CostComponent#sqlCondition} in one place for every query that adds parts up.
     */
    public static String partSumColumns(SqlDialect dialect) {
        StringBuilder columns = new StringBuilder();
        for (CostComponent component : CostComponent.PARTS) {
            columns.append(", ").append(dialect.signedInteger("sum(CASE WHEN " + component.sqlCondition()
                    + " THEN cost_nanos ELSE 0 END)")).append(" AS part_").append(component.key());
        }
        return columns.append(", ").append(dialect.signedInteger("sum(CASE WHEN cost_source = " + UNPRICED
                + " THEN 1 ELSE 0 END)")).append(" AS part_unpriced").toString();
    }

    /** The events naming a call, from raw rows, optionally only those within known time bounds (inclusive). */
    public static Sql partEvents(String eventRows, String tenantId, String callId, Long firstMs, Long lastMs) {
        SqlBuilder sql = new SqlBuilder().append("SELECT id, type, time_ms, cost_nanos, cost_source, provider, model, kind"
                + " FROM " + eventRows + "tenant_id = ").value(tenantId);
        if (firstMs != null) {
            sql.append(" AND time_ms >= ").value(firstMs).append(" AND time_ms <= ").value(lastMs);
        }
        return sql.append(" AND call_id = ").value(callId).append(" AND type IN " + CostComponent.partTypesSql()
                + " ORDER BY time_ms, id").build();
    }

    /** One call's cost and its events; empty when the tenant has no such call. */
    public Optional<CallCostDetail> callCost(String tenantId, String callId) {
        // the parts are found apart from the call: asked beside its lookup, not after it
        Supplier<List<Row>> partRows = Beside.start(() -> {
            Sql events = parts.events(tenantId, callId);
            return events == null ? List.<Row>of() : query.apply(events);
        });
        Optional<java.util.Set<Long>> times = parts.callTimes(tenantId, callId);
        if (times.isPresent() && times.get().isEmpty()) {
            return Optional.empty();
        }
        SqlBuilder call = new SqlBuilder().append("SELECT id, agent_id, provider, status, time_ms, duration_ms,"
                + " reported_total_cost_nanos, cost_nanos, cost_source FROM " + callRows + "tenant_id = ")
                .value(tenantId);
        if (times.isPresent()) {
            call.append(" AND time_ms IN ").values(times.get());
        }
        call.append(" AND id_hash = ").value(IdFingerprint.of(tenantId, callId)).append(" AND id = ").value(callId);
        List<Row> found = query.apply(call.build());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Row row = found.get(0);
        ComponentNanos components = new ComponentNanos().set(CostComponent.TELEPHONY, row.longValue("cost_nanos"));
        long unpriced = CostSource.UNPRICED.wireName().equals(row.string("cost_source")) ? 1 : 0;
        List<CallCostPart> listed = new ArrayList<>();
        for (Row event : partRows.get()) {
            CallCostPart part = new CallCostPart(event.string("id"), event.string("type"), event.longValue("time_ms"),
                    event.longValue("cost_nanos"), event.string("provider"), event.string("model"),
                    event.string("kind"), CostSource.UNPRICED.wireName().equals(event.string("cost_source")));
            CostComponent.of(dev.tally.event.EventType.fromWire(part.type()).orElseThrow(), part.kind())
                    .ifPresent(component -> components.add(component, part.costNanos()));
            unpriced += part.unpriced() ? 1 : 0;
            listed.add(part);
        }
        return Optional.of(new CallCostDetail(new CallCost(row.string("id"), row.string("agent_id"),
                row.string("provider"), row.string("status"), row.longValue("time_ms"), nullableLong(row, "duration_ms"),
                nullableLong(row, "reported_total_cost_nanos"), components, unpriced), List.copyOf(listed)));
    }

    /** The calls of a range: sums by day and agent, the first calls in order, and the mismatches. */
    public CallCostSummary callCosts(CallCostQuery request) {
        Ready ready = ready(request);
        Sql perCall = ready.perCall();
        // the lists need only the per-call rows, but the latest calls need the day sums to know their days
        Supplier<List<Row>> mismatched = request.limit() == 0 || ready.noneMismatched() ? List::of
                : Beside.start(() -> query.apply(mismatched(request, withReportedTotals(request, ready))));
        Supplier<List<Row>> listed = request.limit() == 0 || request.order() == CallCostOrder.STARTED_DESC ? null
                : Beside.start(() -> query.apply(listed(request, ready, List.of())));
        Sql groups = ready.groups().map(relation -> new SqlBuilder().append("SELECT * FROM ").append(relation)
                .append(" AS day_groups").build()).orElseGet(() -> groupsOf(perCall));
        List<CallCostSummary.Group> groupRows = new ArrayList<>();
        for (Row row : query.apply(groups)) {
            ComponentNanos components = new ComponentNanos();
            for (CostComponent component : CostComponent.values()) {
                components.set(component, row.longValue(component.key() + "_sum"));
            }
            groupRows.add(new CallCostSummary.Group(row.longValue("call_day"), row.string("agent_id"),
                    row.longValue("call_count"), row.longValue("duration_sum"), components,
                    row.longValue("unpriced_sum")));
        }
        if (request.limit() == 0) {
            return new CallCostSummary(groupRows, List.of(), List.of());
        }
        List<Row> listedRows = listed != null ? listed.get() : query.apply(listed(request, ready, groupRows));
        return new CallCostSummary(groupRows, calls(listedRows), calls(mismatched.get()));
    }

    /** The first calls in the request's order; the latest ones are looked for on the days the day sums point to. */
    private Sql listed(CallCostQuery request, Ready ready, List<CallCostSummary.Group> groupRows) {
        String order = switch (request.order()) {
            case COST_DESC -> "total_nanos DESC, call_key";
            case COST_ASC -> "total_nanos, call_key";
            case STARTED_DESC -> "time_ms DESC, call_key";
        };
        Sql perCall = ready.perCall();
        if (request.order() != CallCostOrder.STARTED_DESC && ready.firstByCost().isPresent()) {
            return new SqlBuilder().append("SELECT * FROM ").append(ready.firstByCost().get())
                    .append(" AS per_call ORDER BY " + order + " LIMIT ").value(request.limit()).build();
        }
        // the latest calls are on the latest days that hold as many: only those days are read
        Sql listedCalls = request.order() == CallCostOrder.STARTED_DESC
                ? ready(latestDays(request, groupRows)).perCall() : perCall;
        SqlBuilder listed = new SqlBuilder().append("SELECT * FROM ").append(listedCalls).append(" AS per_call");
        if (ready.stored() && request.order() != CallCostOrder.STARTED_DESC) {
            listed.append(" WHERE ").append(costThreshold(request, perCall));
        }
        return listed.append(" ORDER BY " + order + " LIMIT ").value(request.limit()).build();
    }

    /**
     * The per-call rows of the request's calls that have a reported total, the only ones that can be
     * mismatched: the store's candidates when it keeps them apart, rows kept ready filtered as they
     * are read, but parts added up from events
     * are added up for those calls alone, not for every call of the range once more.
     */
    private Sql withReportedTotals(CallCostQuery request, Ready ready) {
        if (ready.mismatchCandidates().isPresent()) {
            return ready.mismatchCandidates().get();
        }
        if (ready.stored()) {
            return ready.perCall();
        }
        return joined(request.tenantId(), new SqlBuilder().append(callCondition(request))
                .append(" AND reported_total_cost_nanos IS NOT NULL").build());
    }

    /** The calls whose reported total differs from their parts' sum by more than {@link #MISMATCH_NANOS}, most first. */
    private Sql mismatched(CallCostQuery request, Sql perCall) {
        return new SqlBuilder().append("SELECT * FROM ").append(perCall).append(" AS per_call WHERE " + MISMATCHED
                        + " ORDER BY abs(reported_total_cost_nanos - total_nanos) DESC, call_key LIMIT ")
                .value(request.limit()).build();
    }

    /**
     * The rows at or beyond the {@code limit}-th cost in the request's order: the cost alone is
     * sorted first (one integer column), so the whole rows are read only for the few that make the
     * list, ties at the threshold included for the order's tie-break.
     */
    private Sql costThreshold(CallCostQuery request, Sql perCall) {
        boolean descending = request.order() == CallCostOrder.COST_DESC;
        return new SqlBuilder().append("total_nanos " + (descending ? ">=" : "<=") + " (SELECT "
                        + (descending ? "min" : "max") + "(total_nanos) FROM (SELECT total_nanos FROM ").append(perCall)
                .append(" AS by_cost ORDER BY total_nanos" + (descending ? " DESC" : "") + " LIMIT ")
                .value(request.limit()).append(") AS first_costs)").build();
    }

    private Ready ready(CallCostQuery request) {
        Sql condition = callCondition(request);
        return parts.ready(request, condition).orElseGet(() -> new Ready(joined(request.tenantId(), condition),
                Optional.empty(), false, Optional.empty(), Optional.empty(), false));
    }

    /** The per-call rows of the calls meeting {@code condition}, joined from their call rows and parts' sums. */
    private Sql joined(String tenantId, Sql condition) {
        return new SqlBuilder().append("(").append(perCall(callRows, condition, parts.sums(tenantId, condition)))
                .append(")").build();
    }

    /** The request narrowed to its latest days that hold at least {@code limit} of its calls, by their day sums. */
    static CallCostQuery latestDays(CallCostQuery request, List<CallCostSummary.Group> groups) {
        java.util.TreeMap<Long, Long> callsByDay = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        groups.forEach(group -> callsByDay.merge(group.epochDay(), group.calls(), Long::sum));
        long calls = 0;
        for (Map.Entry<Long, Long> day : callsByDay.entrySet()) {
            calls += day.getValue();
            if (calls >= request.limit()) {
                long from = Math.max(request.fromMs(), day.getKey() * DAY_MS);
                return new CallCostQuery(request.tenantId(), from, request.toMs(), request.agentId(), request.limit(),
                        request.order());
            }
        }
        return request;
    }

    /** The request's calls as conditions over call rows, {@code tenant_id} first. */
    private static Sql callCondition(CallCostQuery request) {
        SqlBuilder calls = new SqlBuilder().append("tenant_id = ").value(request.tenantId())
                .append(" AND time_ms >= ").value(request.fromMs()).append(" AND time_ms < ").value(request.toMs());
        if (request.agentId() != null) {
            calls.append(" AND agent_id = ").value(request.agentId());
        }
        return calls.build();
    }

    /** The sums by day and agent ({@link #GROUP_COLUMNS}) of per-call rows. */
    private Sql groupsOf(Sql perCall) {
        SqlBuilder groups = new SqlBuilder().append("SELECT " + dialect.integerDivide("time_ms", String.valueOf(DAY_MS))
                + " AS call_day, agent_id, " + dialect.signedInteger("count(*)") + " AS call_count, "
                + dialect.signedInteger("sum(coalesce(duration_ms, 0))") + " AS duration_sum");
        for (CostComponent component : CostComponent.values()) {
            groups.append(", " + dialect.signedInteger("sum(" + component.column() + ")") + " AS "
                    + component.key() + "_sum");
        }
        return groups.append(", " + dialect.signedInteger("sum(unpriced_events)") + " AS unpriced_sum FROM ")
                .append(perCall).append(" AS per_call GROUP BY call_day, agent_id").build();
    }

    /** The columns of a per-call row, after {@code tenant_id} and {@code call_hash}. */
    public static final List<String> PER_CALL_COLUMNS = perCallColumns();

    private static List<String> perCallColumns() {
        List<String> columns = new ArrayList<>(List.of("call_key", "agent_id", "provider", "status", "time_ms",
                "duration_ms", "reported_total_cost_nanos"));
        for (CostComponent component : CostComponent.values()) {
            columns.add(component.column());
        }
        columns.addAll(List.of("unpriced_events", "total_nanos"));
        return List.copyOf(columns);
    }

    /**
     * A {@code SELECT} of one row per call meeting {@code condition} (over {@code callRows}, a table
     * and an open {@code WHERE}): {@code tenant_id}, {@code call_hash}, then {@link #PER_CALL_COLUMNS}:
     * the call's latest state, its parts (0 where none) and their sum. Every expression under a name
     * of its own, so none meets an output column of its name.
     *
     * @param parts a relation of the parts of at least these calls: {@code tenant_id}, {@code call_key},
     *     {@code part_<component>} and {@code part_unpriced}, one row per call
     */
    public static Sql perCall(String callRows, Sql condition, Sql parts) {
        SqlBuilder sql = new SqlBuilder().append("SELECT tenant_id, id_hash AS call_hash, call_key, agent_id,"
                + " provider, status, time_ms, duration_ms, reported_total_cost_nanos, telephony_cost AS "
                + CostComponent.TELEPHONY.column());
        StringBuilder total = new StringBuilder("telephony_cost");
        for (CostComponent component : CostComponent.PARTS) {
            String part = "coalesce(part_" + component.key() + ", 0)";
            sql.append(", " + part + " AS " + component.column());
            total.append(" + ").append(part);
        }
        return sql.append(", call_unpriced + coalesce(part_unpriced, 0) AS unpriced_events, " + total + " AS total_nanos"
                + " FROM (SELECT tenant_id, id_hash, id AS call_key, agent_id, provider, status, time_ms, duration_ms,"
                + " reported_total_cost_nanos, cost_nanos AS telephony_cost, CASE WHEN cost_source = " + UNPRICED
                + " THEN 1 ELSE 0 END AS call_unpriced FROM " + callRows).append(condition)
                .append(") AS calls_in_range LEFT JOIN ").append(parts).append(" AS call_parts USING (tenant_id, call_key)")
                .build();
    }

    private static List<CallCost> calls(List<Row> rows) {
        List<CallCost> calls = new ArrayList<>(rows.size());
        for (Row row : rows) {
            ComponentNanos components = new ComponentNanos();
            for (CostComponent component : CostComponent.values()) {
                components.set(component, row.longValue(component.column()));
            }
            calls.add(new CallCost(row.string("call_key"), row.string("agent_id"), row.string("provider"),
                    row.string("status"), row.longValue("time_ms"), nullableLong(row, "duration_ms"),
                    nullableLong(row, "reported_total_cost_nanos"), components, row.longValue("unpriced_events")));
        }
        return calls;
    }

    private static Long nullableLong(Row row, String column) {
        return row.get(column) == null ? null : row.longValue(column);
    }
}
