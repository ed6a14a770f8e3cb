package dev.tally.store.clickhouse;

import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.store.callcost.CallCostQuery;
import dev.tally.store.callcost.CallCostReads;
import dev.tally.store.callcost.CostComponent;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Where in time the parts of each call are: the hours holding events that name it and add to its
 * cost. The events are ordered by tenant, type and time, so a call's parts can only be found
 * within known times; without them every report of call costs read all of the tenant's parts.
 *
 * <p>The hours are filled by a materialized view on the events table, so an event's hour lands in
 * the very insert that stores the event: no stored part is outside its call's hours. Rows are never
 * taken back (a moved or corrected part only widens its call's hours), and duplicates merge away.
 * An erased call id moves its rows to the pseudonym, as the call's own rows do.
 */
final class ClickHouseCallParts implements CallCostReads.Parts {
    static final String TABLE = "call_part_hours";
    static final String VIEW = "call_part_hours_view";
    static final String COLUMNS = "tenant_id String, call_key String, hour Int64";
    /** Small granules: one call's hours are a few rows around its key. */
    static final String LAYOUT = "ORDER BY (tenant_id, call_key, hour) SETTINGS index_granularity = 256";
    private static final long HOUR_MS = 3_600_000L;

    private final Function<Sql, List<Row>> query;
    private final ClickHouseRollups rollups;
    private final ClickHouseRollups.Session session;
    private final String eventRows;
    private final String callRows;

    /**
     * @param session the hour states of one request's reads, read once for its every query; null to
     *     read them at each
     */
    ClickHouseCallParts(Function<Sql, List<Row>> query, ClickHouseRollups rollups, ClickHouseRollups.Session session,
                        String eventRows, String callRows) {
        this.query = query;
        this.rollups = rollups;
        this.session = session;
        this.eventRows = eventRows;
        this.callRows = callRows;
    }

    /**
     * The view's query, also the backfill of a database made before the view: the hour of every
     * part naming a call. {@code call_key}, not {@code call_id}: an alias of a column's name would
     * stand for the column in {@code WHERE}.
     */
    static String hoursOf(String events) {
        return "SELECT tenant_id, ifNull(call_id, '') AS call_key, intDiv(time_ms, " + HOUR_MS + ") AS hour FROM "
                + events + " WHERE call_id IS NOT NULL AND type IN " + CostComponent.partTypesSql();
    }

    /** Only the hours holding the calls' parts are read, each from its rollup rows where they are current. */
    @Override
    public Sql sums(String tenantId, Sql calls) {
        long[] bounds = bounds(tenantId, new SqlBuilder().append(" AND call_key IN (SELECT id FROM " + callRows)
                .append(calls).append(")").build());
        return rollups.callPartSums(tenantId, bounds[0] / HOUR_MS, bounds[1] / HOUR_MS, calls, eventRows, callRows,
                session);
    }

    /**
     * From {@code call_states}, keyed by the id's hash: the calls are ordered by time, so a call's
     * row found by its id alone would read every call of the tenant. Every row a call has in
     * {@code calls} was recorded there first, at its time.
     */
    @Override
    public Optional<Set<Long>> callTimes(String tenantId, String callId) {
        Set<Long> times = new TreeSet<>();
        for (Row row : query.apply(new SqlBuilder().append("SELECT DISTINCT time_ms FROM " + ClickHouseSchema.CALL_STATES
                        + " WHERE tenant_id = ").value(tenantId).append(" AND id_hash = ")
                .value(IdFingerprint.of(tenantId, callId)).append(" AND id = ").value(callId).build())) {
            times.add(row.longValue("time_ms"));
        }
        return Optional.of(times);
    }

    /** Each call's row from the rollup where its hour is current ({@link ClickHouseCallCostRows}). */
    @Override
    public Optional<CallCostReads.Ready> ready(CallCostQuery request, Sql condition) {
        return rollups.callCosts(request, callRows, this, session);
    }

    @Override
    public Sql events(String tenantId, String callId) {
        long[] bounds = bounds(tenantId, new SqlBuilder().append(" AND call_key = ").value(callId).build());
        return bounds[0] == bounds[1] ? null
                : CallCostReads.partEvents(eventRows, tenantId, callId, bounds[0], bounds[1] - 1);
    }

    /**
     * The milliseconds {@code [from, to)} of the hours holding parts of the tenant's calls that
     * {@code calls} selects (conditions after the tenant's); empty when no hour is known
     * (ClickHouse's min of nothing is 0, not NULL).
     */
    private long[] bounds(String tenantId, Sql calls) {
        Row row = query.apply(new SqlBuilder().append("SELECT count() AS hours, min(hour) AS first_hour,"
                + " max(hour) AS last_hour FROM " + TABLE + " WHERE tenant_id = ").value(tenantId).append(calls)
                .build()).get(0);
        if (row.longValue("hours") == 0) {
            return new long[] {0, 0};
        }
        return new long[] {row.longValue("first_hour") * HOUR_MS, (row.longValue("last_hour") + 1) * HOUR_MS};
    }
}
