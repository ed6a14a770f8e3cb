package dev.tally.store.clickhouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.store.callcost.CallCostOrder;
import dev.tally.store.callcost.CallCostQuery;
import dev.tally.store.callcost.CallCostReads;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.rollup.RollupRelations;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.EventColumn;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.store.sql.SqlDialect;
import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * ClickHouse's rollups, kept exactly once by recomputing, never by adding deltas.
 *
 * <p>A {@code SummingMergeTree} fed with each write's deltas would count twice an event that slips
 * past the duplicate lookup (two instances writing it at once). So rollup rows are always computed
 * from the deduplicated raw rows ({@code FINAL}), one (tenant, hour) at a time:
 * <ol>
 * <li>Every write first marks the (tenant, hour)s it touches in {@code rollup_marks}, with the
 *     time of the mark, then inserts its rows.</li>
 * <li>A worker finds hours whose newest mark is newer than what their rollup rows cover, waits
 *     until the hour is over and its marks are {@link #SETTLE_MS} old (every write relying on
 *     them has finished by then: a slower one marks again), recomputes each table's rows of those hours under a
 *     fresh generation number, checks that each insert landed exactly once, and only then records
 *     the generation and the marks it covers in {@code rollup_hours}.</li>
 * <li>A read takes an hour from the rollup rows of its recorded generation when that covers every
 *     mark of the hour, and derives it from the raw rows otherwise: the open hour, an hour with a
 *     late event, an hour whose recomputation has not run or failed. Rows of other generations are
 *     never read, so a recomputation that dies half-way changes nothing.</li>
 * </ol>
 * Every table is stored by the hour and sharded by tenant like the raw tables; a day-grained read
 * sums the day's hours. A read with raw-only conditions is derived whole; one across tenants reads
 * each tenant's hours as above. The member usage rollup ({@link ClickHouseMemberUsage}) is one more
 * table recomputed and read this way; its hours also change when a chat they reference arrives, and
 * writes mark them then ({@link ClickHouseChatReferences}). So are the parts of calls by hour
 * ({@link ClickHouseCallPartSums}), and each call's cost by the hour it started in
 * ({@link ClickHouseCallCostRows}), whose hours a write holding parts of the call marks too.
 */
final class ClickHouseRollups {
    static final String MARKS = "rollup_marks";
    static final String HOURS = "rollup_hours";
    /** How old a mark must be before its hour is recomputed: more than {@link #MARK_REUSE_MS} and {@link #WRITE_BOUND_MS}. */
    static final long SETTLE_MS = 60_000;
    /** How long this instance's mark of an hour stands for its later writes to the same hour. */
    static final long MARK_REUSE_MS = 30_000;
    /** A write slower than this marks its hours again once its rows are in. */
    static final long WRITE_BOUND_MS = 20_000;
    private static final long HOUR_MS = RollupTable.Grain.HOUR.milliseconds();
    private static final int HOURS_PER_RECOMPUTATION = 168;
    static final int MAX_TENANTS_PER_READ = 50;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SecureRandom GENERATIONS = new SecureRandom();

    private final ClickHouseHttp http;
    private final SqlDialect dialect;
    private final LongSupplier clock;
    private final ClickHouseMovedRows movedRows = new ClickHouseMovedRows(this);
    private final ClickHouseKeptFrom keptFrom;
    /** Whether this instance's worker has looked for days to build since it started. */
    private volatile boolean daysChecked;
    /** The hours this instance marked lately, and when. */
    private final Map<TenantHour, Long> recentMarks = new HashMap<>();

    ClickHouseRollups(ClickHouseHttp http, SqlDialect dialect, LongSupplier clock) {
        this.http = http;
        this.dialect = dialect;
        this.clock = clock;
        this.keptFrom = new ClickHouseKeptFrom(http);
    }

    ClickHouseKeptFrom keptFrom() {
        return keptFrom;
    }

    /** A (tenant, hour) a write touched. */
    record TenantHour(String tenantId, long hour) {
        static TenantHour of(String tenantId, long timeMs) {
            return new TenantHour(tenantId, Math.floorDiv(timeMs, HOUR_MS));
        }
    }

    /** The tables ClickHouse keeps: one per distinct set of keys and measures, all by the hour. */
    static List<RollupTable> storedTables() {
        return Rollups.ALL.stream().filter(table -> storage(table) == table).toList();
    }

    /** Where a table's rows live: the hourly table of the same keys and measures, if there is one. */
    static RollupTable storage(RollupTable table) {
        for (RollupTable candidate : Rollups.ALL) {
            if (candidate.grain() == RollupTable.Grain.HOUR && candidate.keys().equals(table.keys())
                    && candidate.measures().equals(table.measures())) {
                return candidate;
            }
        }
        return table;
    }

    /** The column list of a stored table: tenant, hour, generation, the keys, the measures. */
    static String columns(RollupTable table) {
        List<String> columns = new ArrayList<>(List.of("tenant_id String", "hour Int64", "generation Int64"));
        for (EventColumn key : table.keys()) {
            String type = switch (key.kind()) {
                case STRING -> "String";
                case LONG -> "Int64";
                case INTEGER -> "Int32";
            };
            columns.add(key.name() + " " + (key.nullable() ? "Nullable(" + type + ")" : type));
        }
        for (RollupTable.Measure measure : table.measures()) {
            columns.add(measure.name() + switch (measure.combine()) {
                case SUM -> " Int64";
                case MIN, MAX -> " Nullable(Int64)";
            });
        }
        return String.join(", ", columns);
    }

    /**
     * Marks the hours a write is about to touch; called before its rows are inserted. An hour this
     * instance marked less than {@link #MARK_REUSE_MS} ago is not marked again unless {@code always}:
     * its mark is at most that old, a write ends within {@link #WRITE_BOUND_MS} (or marks again
     * after), and an hour is recomputed only once its newest mark is {@link #SETTLE_MS} old, later
     * than both together, so the rows of every write relying on that mark are in.
     */
    void mark(Collection<TenantHour> touched, boolean always) {
        long now = clock.getAsLong();
        List<TenantHour> due = new ArrayList<>();
        synchronized (recentMarks) {
            recentMarks.values().removeIf(markedMs -> markedMs < now - MARK_REUSE_MS);
            for (TenantHour hour : touched) {
                Long marked = recentMarks.get(hour);
                if (always || marked == null || marked < now - MARK_REUSE_MS) {
                    due.add(hour);
                }
            }
        }
        if (due.isEmpty()) {
            return;
        }
        StringBuilder rows = new StringBuilder();
        for (TenantHour hour : due) {
            ObjectNode row = MAPPER.createObjectNode().put("tenant_id", hour.tenantId()).put("hour", hour.hour())
                    .put("marked_ms", now);
            rows.append(json(row)).append('\n');
        }
        http.insert(MARKS, rows.toString());
        synchronized (recentMarks) {
            due.forEach(hour -> recentMarks.put(hour, now));
        }
    }

    /**
     * Marks every hour holding raw rows, for a database written before these tables existed: the
     * worker then builds their rollups, and until it has, reads derive those hours from raw rows.
     */
    void markExistingRows() {
        if (http.query("SELECT count() AS n FROM " + MARKS).get(0).longValue("n") > 0) {
            return;
        }
        for (RawTable table : RawTable.values()) {
            http.executeUpgrade("INSERT INTO " + MARKS + " SELECT tenant_id, intDiv(time_ms, " + HOUR_MS + ") AS hour, toUInt64("
                    + clock.getAsLong() + ") FROM " + table.tableName() + " GROUP BY tenant_id, hour");
        }
    }

    /**
     * The read's rows, hour by hour: a whole hour recorded as covering its marks from the rollup
     * table; a part-hour at either end or an hour with newer marks derived from the raw table; an
     * hour never marked holds no rows (a write marks its hours before inserting) and is not read.
     */
    Sql read(RollupRead read, String rawRows) {
        return read(read, rawRows, null);
    }

    /**
     * The same, with the hour states of a {@link Session} when they cover the read: one report's
     * reads of one tenant and range then ask for them once.
     */
    Sql read(RollupRead read, String rawRows, Session session) {
        if (!read.rawEquals().isEmpty()) {
            return RollupRelations.derived(read, rawRows, dialect);
        }
        long startHour = Math.floorDiv(read.fromMs(), HOUR_MS);
        long stopHour = RollupTable.Grain.HOUR.slotAtOrAfter(read.toMs());
        boolean covered = session != null && session.covers(read.tenantId(), startHour, stopHour);
        if (read.tenantId() == null) {
            return everyTenant(read, rawRows, covered ? session.statesByTenant(startHour, stopHour)
                    : hourStatesByTenant(null, startHour, stopHour));
        }
        TenantState states = (covered ? session.statesByTenant(startHour, stopHour)
                : hourStatesByTenant(read.tenantId(), startHour, stopHour))
                .getOrDefault(read.tenantId(), new TenantState());
        SqlBuilder sql = new SqlBuilder().append("(");
        if (!appendTenant(sql, read, rawRows, states)) {
            // nothing was ever written here: an empty relation of the right columns, which reads no part
            sql.append(RollupRelations.derivedRows(read, read.table().grain(), List.of(new long[] {0, 0}), rawRows,
                    dialect));
        }
        return sql.append(")").build();
    }

    /**
     * A read across tenants (tokens by assistant without a tenant): each tenant's hours split as for
     * a read of that tenant alone, then one {@code SELECT} per kind of part (compacted days, recorded
     * hours, raw ranges) for every tenant at once, so the read costs three relations whatever the
     * tenants. Beyond {@link #MAX_TENANTS_PER_READ} tenants the SQL would grow past use, and
     * everything is derived.
     */
    private Sql everyTenant(RollupRead read, String rawRows, Map<String, TenantState> byTenant) {
        if (byTenant.size() > MAX_TENANTS_PER_READ) {
            return RollupRelations.derived(read, rawRows, dialect);
        }
        Map<String, TenantParts> parts = new TreeMap<>();
        byTenant.forEach((tenant, state) -> parts.put(tenant, parts(read, state)));
        SqlBuilder sql = new SqlBuilder().append("(");
        if (!appendParts(sql, read, rawRows, parts)) {
            sql.append(RollupRelations.derivedRows(read, read.table().grain(), List.of(new long[] {0, 0}), rawRows,
                    dialect));
        }
        return sql.append(")").build();
    }

    /**
     * Appends one tenant's rows of the read ({@code SELECT}s joined by {@code UNION ALL}); false when
     * it has none to read.
     */
    private boolean appendTenant(SqlBuilder sql, RollupRead read, String rawRows, TenantState tenant) {
        return appendParts(sql, read, rawRows, Map.of(read.tenantId(), parts(read, tenant)));
    }

    /** Appends the tenants' rows of the read, one {@code SELECT} per kind of part; false when none has any. */
    private boolean appendParts(SqlBuilder sql, RollupRead read, String rawRows, Map<String, TenantParts> byTenant) {
        Map<String, TreeMap<Long, Long>> compacted = new TreeMap<>();
        Map<String, TreeMap<Long, Long>> recorded = new TreeMap<>();
        Map<String, List<long[]>> raw = new TreeMap<>();
        byTenant.forEach((tenant, parts) -> {
            if (!parts.compacted().isEmpty()) {
                compacted.put(tenant, parts.compacted());
            }
            if (!parts.recorded().isEmpty()) {
                recorded.put(tenant, parts.recorded());
            }
            if (!parts.raw().isEmpty()) {
                raw.put(tenant, parts.raw());
            }
        });
        String union = "";
        if (!compacted.isEmpty()) {
            sql.append(storedRows(read, compacted, true));
            union = " UNION ALL ";
        }
        if (!recorded.isEmpty()) {
            sql.append(union).append(storedRows(read, recorded, false));
            union = " UNION ALL ";
        }
        if (!raw.isEmpty()) {
            sql.append(union).append(RollupRelations.derivedRows(read, read.table().grain(), raw, rawRows, dialect));
        }
        return !compacted.isEmpty() || !recorded.isEmpty() || !raw.isEmpty();
    }

    /**
     * A tenant's part of a read: the whole days read from day rows (day to generation), the hours
     * read from rollup rows (hour to generation), the time ranges derived from raw rows.
     */
    private record TenantParts(TreeMap<Long, Long> compacted, TreeMap<Long, Long> recorded, List<long[]> raw) {
    }

    private static TenantParts parts(RollupRead read, TenantState tenant) {
        TreeMap<Long, Long> compacted = compactedDays(read, tenant);
        NavigableMap<Long, HourState> hours = tenant.hours();
        if (!compacted.isEmpty()) {
            TreeMap<Long, HourState> rest = new TreeMap<>(hours);
            rest.keySet().removeIf(hour -> compacted.containsKey(Math.floorDiv(hour, 24)));
            hours = rest;
        }
        HourSplit split = split(hours, read.fromMs(), read.toMs());
        return new TenantParts(compacted, split.recorded(), split.raw());
    }

    /**
     * The whole days of a day-grained read whose day rows were built from the hours as they are now
     * (day to the generation of its rows): read from the day table instead of their hours.
     */
    private static TreeMap<Long, Long> compactedDays(RollupRead read, TenantState tenant) {
        return read.table().grain() == RollupTable.Grain.DAY ? currentDays(tenant, read.fromMs(), read.toMs())
                : new TreeMap<>();
    }

    /**
     * The whole days of {@code [fromMs, toMs)} whose day rows were built from the hours as they are
     * now (day to the generation of its rows).
     */
    private static TreeMap<Long, Long> currentDays(TenantState tenant, long fromMs, long toMs) {
        TreeMap<Long, Long> compacted = new TreeMap<>();
        tenant.days().forEach((day, record) -> {
            boolean whole = fromMs <= day * Rollups.DAY_MS && (day + 1) * Rollups.DAY_MS <= toMs;
            Long digest = whole ? ClickHouseDays.digest(tenant.hours(), day) : null;
            if (digest != null && digest == record.digest()) {
                compacted.put(day, record.generation());
            }
        });
        return compacted;
    }

    /**
     * The hours of {@code [fromMs, toMs)} read from rollup rows (hour to its recorded generation) and
     * the time ranges derived from raw rows.
     */
    private record HourSplit(TreeMap<Long, Long> recorded, List<long[]> raw) {
    }

    /**
     * A whole hour recorded as covering its marks is read from the rollup table; a part-hour at
     * either end or an hour with newer marks is derived from the raw table; an hour never marked
     * holds no rows (a write marks its hours before inserting) and is not read. The states of the
     * hours before a retention horizon come frozen ({@link #hourStatesByTenant}).
     */
    private static HourSplit split(NavigableMap<Long, HourState> states, long fromMs, long toMs) {
        HourSplit split = new HourSplit(new TreeMap<>(), new ArrayList<>());
        states.forEach((hour, state) -> {
            long from = Math.max(fromMs, hour * HOUR_MS);
            long to = Math.min(toMs, (hour + 1) * HOUR_MS);
            boolean whole = from == hour * HOUR_MS && to == (hour + 1) * HOUR_MS;
            if (state.marked() == 0) {
                return;
            }
            if (whole && state.covered() >= state.marked()) {
                split.recorded().put(hour, state.generation());
            } else {
                addRange(split.raw(), from, to);
            }
        });
        return split;
    }

    /**
     * One member's usage over whole UTC days ({@link ClickHouseMemberUsage}), its hours split as
     * every rollup's are.
     */
    Sql memberUsage(String tenantId, String memberId, long firstDay, long lastDay, String events) {
        long firstHour = firstDay * 24;
        long endHour = (lastDay + 1) * 24;
        TenantState states = hourStatesByTenant(tenantId, firstHour, endHour).getOrDefault(tenantId, new TenantState());
        HourSplit split = split(states.hours(), firstHour * HOUR_MS, endHour * HOUR_MS);
        if (split.recorded().isEmpty()) {
            return ClickHouseMemberUsage.totals(tenantId, memberId, firstHour, endHour, null, split.raw(), events);
        }
        return ClickHouseMemberUsage.totals(tenantId, memberId, split.recorded().firstKey(),
                split.recorded().lastKey() + 1, generations(split.recorded(), "hour"), split.raw(), events);
    }

    /**
     * The parts of the tenant's calls that {@code calls} selects, from the hours
     * {@code [firstHour, endHour)} split as every rollup's are ({@link ClickHouseCallPartSums#sums}),
     * with the hour states of the session when it covers them (null: none).
     */
    Sql callPartSums(String tenantId, long firstHour, long endHour, Sql calls, String eventRows, String callRows,
                     Session session) {
        if (firstHour >= endHour) {
            // no hour holds a part of these calls
            return ClickHouseCallPartSums.sums(tenantId, firstHour, endHour, null, List.of(), calls, eventRows,
                    callRows, dialect);
        }
        boolean covered = session != null && session.covers(tenantId, firstHour, endHour);
        TenantState states = (covered ? session.statesByTenant(firstHour, endHour)
                : hourStatesByTenant(tenantId, firstHour, endHour)).getOrDefault(tenantId, new TenantState());
        HourSplit split = split(states.hours(), firstHour * HOUR_MS, endHour * HOUR_MS);
        Sql generations = split.recorded().isEmpty() ? null : generations(split.recorded(), "hour");
        return ClickHouseCallPartSums.sums(tenantId, firstHour, endHour, generations, split.raw(), calls, eventRows,
                callRows, dialect);
    }

    /**
     * The rows of a request of call costs ({@link ClickHouseCallCostRows}): the calls of recorded
     * hours and their sums by hour from the rollup rows, the rest derived from the calls and their
     * parts; empty when no hour of the range holds a call. With the hour states of the session when
     * it covers the range (null: none).
     */
    Optional<CallCostReads.Ready> callCosts(CallCostQuery request, String callRows, CallCostReads.Parts parts,
                                            Session session) {
        String tenantId = request.tenantId();
        long startHour = Math.floorDiv(request.fromMs(), HOUR_MS);
        long stopHour = RollupTable.Grain.HOUR.slotAtOrAfter(request.toMs());
        if (startHour >= stopHour) {
            return Optional.empty();
        }
        boolean covered = session != null && session.covers(tenantId, startHour, stopHour);
        TenantState states = (covered ? session.statesByTenant(startHour, stopHour)
                : hourStatesByTenant(tenantId, startHour, stopHour)).getOrDefault(tenantId, new TenantState());
        HourSplit split = split(states.hours(), request.fromMs(), request.toMs());
        if (split.recorded().isEmpty() && split.raw().isEmpty()) {
            return Optional.empty();
        }
        Sql generations = split.recorded().isEmpty() ? null : generations(split.recorded(), "hour");
        long firstHour = split.recorded().isEmpty() ? 0 : split.recorded().firstKey();
        long endHour = split.recorded().isEmpty() ? 0 : split.recorded().lastKey() + 1;
        Sql derivedCalls = split.raw().isEmpty() ? null
                : ClickHouseCallCostRows.callsIn(tenantId, split.raw(), request.agentId());
        Sql perCall = ClickHouseCallCostRows.perCall(tenantId, firstHour, endHour, generations, request.agentId(),
                derivedCalls, callRows, parts);
        // whole days kept as days are read from their rows, the other recorded hours from theirs
        TreeMap<Long, Long> days = currentDays(states, request.fromMs(), request.toMs());
        TreeMap<Long, Long> hours = new TreeMap<>(split.recorded());
        hours.keySet().removeIf(hour -> days.containsKey(Math.floorDiv(hour, 24)));
        ClickHouseCallCostDays.KeptDays kept = days.isEmpty() ? null
                : new ClickHouseCallCostDays.KeptDays(days.firstKey(), days.lastKey() + 1, generations(days, "day"));
        long firstOther = hours.isEmpty() ? 0 : hours.firstKey();
        long endOther = hours.isEmpty() ? 0 : hours.lastKey() + 1;
        Sql others = hours.isEmpty() ? null : generations(hours, "hour");
        // the derived calls alone: their sums by day join the recorded hours' sums
        Sql derivedPerCall = derivedCalls == null ? null : ClickHouseCallCostRows.perCall(tenantId, 0, 0, null,
                null, derivedCalls, callRows, parts);
        Sql groups = ClickHouseCallCostRows.groups(tenantId, firstOther, endOther, others,
                kept == null ? null : ClickHouseCallCostDays.sums(tenantId, kept, request.agentId()), request.agentId(),
                derivedPerCall);
        // a list longer than the days keep reads every recorded hour's
        boolean fromDays = kept != null && request.limit() <= ClickHouseCallCostDays.KEPT;
        long firstListed = fromDays ? firstOther : firstHour;
        long endListed = fromDays ? endOther : endHour;
        Sql listed = fromDays ? others : generations;
        boolean byAgent = request.agentId() != null;
        Optional<Sql> firstByCost = Optional.empty();
        if (generations != null && request.limit() > 0 && request.order() != CallCostOrder.STARTED_DESC) {
            Sql keptCalls = fromDays ? ClickHouseCallCostDays.kept(tenantId, kept,
                    ClickHouseCallCostDays.DayList.of(request.order(), byAgent), request.agentId()) : null;
            firstByCost = Optional.of(ClickHouseCallCostRows.firstByCost(tenantId, firstListed, endListed, listed,
                    keptCalls, request, derivedCalls, callRows, parts));
        }
        Optional<Sql> mismatchCandidates = generations == null ? Optional.empty()
                : Optional.of(ClickHouseCallCostRows.mismatches(tenantId, firstListed, endListed, listed,
                fromDays ? ClickHouseCallCostDays.kept(tenantId, kept, ClickHouseCallCostDays.DayList.mismatched(byAgent),
                        request.agentId()) : null, request, derivedCalls, callRows, parts));
        return Optional.of(new CallCostReads.Ready(perCall, Optional.of(groups), derivedCalls == null, firstByCost,
                mismatchCandidates, false));
    }

    /** Appends {@code [from, to)} to the ranges, joined to the last one when they touch. */
    private static void addRange(List<long[]> ranges, long from, long to) {
        if (from >= to) {
            return;
        }
        if (!ranges.isEmpty() && ranges.get(ranges.size() - 1)[1] == from) {
            ranges.get(ranges.size() - 1)[1] = to;
            return;
        }
        ranges.add(new long[] {from, to});
    }

    /**
     * The rows of the tenants' recorded hours, or of their compacted days ({@code days}), each slot
     * from its generation.
     */
    private Sql storedRows(RollupRead read, Map<String, TreeMap<Long, Long>> recordedByTenant, boolean days) {
        RollupTable table = read.table();
        String column = days ? "day" : "hour";
        String slot = days || table.grain() == RollupTable.Grain.HOUR ? column
                : dialect.integerDivide("hour", String.valueOf(table.grain().milliseconds() / HOUR_MS)) + " AS "
                        + table.grain().column();
        SqlBuilder sql = new SqlBuilder().append("SELECT tenant_id, " + slot);
        table.keys().forEach(key -> sql.append(", " + key.name()));
        read.selectedMeasures().forEach(measure -> sql.append(", " + measure.name()));
        String stored = days ? ClickHouseDays.table(storage(table)) : storage(table).name();
        sql.append(" FROM " + stored + " WHERE ");
        String or = "";
        for (Map.Entry<String, TreeMap<Long, Long>> tenant : recordedByTenant.entrySet()) {
            TreeMap<Long, Long> recorded = tenant.getValue();
            sql.append(or + "(tenant_id = ").value(tenant.getKey()).append(" AND " + column + " >= ")
                    .value(recorded.firstKey()).append(" AND " + column + " < ").value(recorded.lastKey() + 1)
                    .append(" AND ").append(generations(recorded, column)).append(")");
            or = " OR ";
        }
        return sql.build();
    }

    /**
     * The condition selecting the rows of each recorded slot's generation: per generation, the runs
     * of slots ({@code column}: hours or days) it is recorded for, a few ranges rather than a set of
     * (slot, generation) pairs.
     */
    private static Sql generations(TreeMap<Long, Long> recorded, String column) {
        Map<Long, List<long[]>> runs = new TreeMap<>();
        recorded.forEach((at, generation) -> addRange(runs.computeIfAbsent(generation, any -> new ArrayList<>()),
                at, at + 1));
        SqlBuilder sql = new SqlBuilder().append("(");
        String or = "";
        for (Map.Entry<Long, List<long[]>> generation : runs.entrySet()) {
            for (long[] slots : generation.getValue()) {
                sql.append(or + "(generation = ").value(generation.getKey()).append(" AND " + column + " >= ")
                        .value(slots[0]).append(" AND " + column + " < ").value(slots[1]).append(")");
                or = " OR ";
            }
        }
        return sql.append(")").build();
    }

    /** An hour's recorded generation and the newest mark it covers (-1: none), and its newest mark (0: none). */
    record HourState(long generation, long covered, long marked) {
    }

    /** A tenant's hour states and day records, by hour and by day. */
    record TenantState(TreeMap<Long, HourState> hours, TreeMap<Long, ClickHouseDays.DayRecord> days) {
        TenantState() {
            this(new TreeMap<>(), new TreeMap<>());
        }

        TenantState part(long firstHour, long endHour) {
            return new TenantState(new TreeMap<>(hours.subMap(firstHour, true, endHour, false)),
                    new TreeMap<>(days.subMap(Math.floorDiv(firstHour, 24), true, Math.floorDiv(endHour, 24) + 1, false)));
        }
    }

    /**
     * One report's view of the hours of a tenant (or of every tenant: null) in a range, read once,
     * when first needed.
     */
    final class Session {
        private final String tenantId;
        private final long startHour;
        private final long stopHour;
        private final List<URI> nodes;
        private final UnaryOperator<String> onShard;
        private final Executor beside;
        private Map<String, TenantState> states;

        Session(String tenantId, long fromMs, long toMs) {
            this(tenantId, fromMs, toMs, List.of(), UnaryOperator.identity(), Runnable::run);
        }

        /**
         * @param nodes where the hour states are read, each over its per-shard tables ({@code onShard}
         *     names them): the node holding the tenant's rows, or for every tenant each node of a
         *     cluster of one node per shard, asked at once ({@code beside} runs all but the last);
         *     none to read them through the Distributed tables
         */
        Session(String tenantId, long fromMs, long toMs, List<URI> nodes,
                UnaryOperator<String> onShard, Executor beside) {
            this.tenantId = tenantId;
            this.nodes = List.copyOf(nodes);
            this.onShard = onShard;
            this.beside = beside;
            this.startHour = Math.floorDiv(fromMs, HOUR_MS);
            this.stopHour = RollupTable.Grain.HOUR.slotAtOrAfter(toMs);
        }

        boolean covers(String tenant, long firstHour, long endHour) {
            return Objects.equals(tenantId, tenant) && startHour <= firstHour && endHour <= stopHour;
        }

        /** The states of {@code [firstHour, endHour)}, by tenant. */
        synchronized Map<String, TenantState> statesByTenant(long firstHour, long endHour) {
            if (states == null) {
                states = read();
            }
            if (firstHour == startHour && endHour == stopHour) {
                return states;
            }
            Map<String, TenantState> part = new TreeMap<>();
            states.forEach((tenant, state) -> part.put(tenant, state.part(firstHour, endHour)));
            return part;
        }

        private Map<String, TenantState> read() {
            if (nodes.isEmpty()) {
                return hourStatesByTenant(tenantId, startHour, stopHour, null, onShard);
            }
            List<CompletableFuture<Map<String, TenantState>>> others = new ArrayList<>();
            for (URI node : nodes.subList(0, nodes.size() - 1)) {
                others.add(CompletableFuture.supplyAsync(
                        () -> hourStatesByTenant(tenantId, startHour, stopHour, node, onShard), beside));
            }
            // a tenant's rows are all on one shard: the nodes' tenants never overlap
            Map<String, TenantState> all = new TreeMap<>(hourStatesByTenant(tenantId, startHour, stopHour,
                    nodes.get(nodes.size() - 1), onShard));
            for (CompletableFuture<Map<String, TenantState>> other : others) {
                try {
                    all.putAll(other.join());
                } catch (CompletionException failure) {
                    if (failure.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw failure;
                }
            }
            return all;
        }
    }

    /**
     * The states of every hour of {@code [firstHour, endHour)} that was ever marked or recorded, and
     * the records of the days around them, of one tenant or of every tenant (null), by tenant: one
     * query, each part tagged with its kind.
     */
    Map<String, TenantState> hourStatesByTenant(String tenantId, long firstHour, long endHour) {
        return hourStatesByTenant(tenantId, firstHour, endHour, null, UnaryOperator.identity());
    }

    /** The same, read on {@code node} over the tables {@code onShard} names there, or through the Distributed tables (null). */
    private Map<String, TenantState> hourStatesByTenant(String tenantId, long firstHour, long endHour, URI node,
                                                        UnaryOperator<String> onShard) {
        // one row per marked hour (an hour never marked holds no rows), its record joined to it
        SqlBuilder sql = new SqlBuilder().append("SELECT toUInt8(0) AS kind, tenant_id, hour AS slot, generation,"
                + " toInt64(covered_ms) AS covered, toInt64(marked_ms) AS marked FROM (SELECT tenant_id, hour,"
                + " max(marked_ms) AS marked_ms FROM " + MARKS + " WHERE ");
        scope(sql, tenantId, "hour", firstHour, endHour).append(" GROUP BY tenant_id, hour) AS marks ANY LEFT JOIN"
                + " (SELECT tenant_id, hour, argMax(generation, version) AS generation, argMax(covered_ms, version)"
                + " AS covered_ms FROM " + HOURS + " WHERE ");
        scope(sql, tenantId, "hour", firstHour, endHour).append(" GROUP BY tenant_id, hour) AS records"
                + " USING (tenant_id, hour) UNION ALL SELECT toUInt8(1), tenant_id, day, argMax(generation, version),"
                + " argMax(digest, version), toInt64(0) FROM " + ClickHouseDays.DAYS + " WHERE ");
        // with each tenant's retention horizon, read in the same round trip as the states it freezes
        scope(sql, tenantId, "day", Math.floorDiv(firstHour, 24), Math.floorDiv(endHour + 23, 24))
                .append(" GROUP BY tenant_id, day UNION ALL SELECT toUInt8(2), tenant_id, toInt64(intDiv(max(from_ms), "
                        + HOUR_MS + ")), toInt64(0), toInt64(0), toInt64(0) FROM " + ClickHouseKeptFrom.TABLE);
        if (tenantId != null) {
            sql.append(" WHERE tenant_id = ").value(tenantId);
        }
        sql.append(" GROUP BY tenant_id");
        Map<String, TenantState> byTenant = new TreeMap<>();
        Map<String, Long> keptFromHour = new HashMap<>();
        Sql states = sql.build();
        // the tables are renamed before the values are bound: a value can never be taken for a table
        List<String[]> rows = node == null ? http.queryTabSeparated(ClickHouseLiterals.bind(states))
                : http.queryTabSeparatedOn(node, ClickHouseLiterals.bind(new Sql(onShard.apply(states.text()),
                        states.parameters())));
        for (String[] row : rows) {
            long slot = Long.parseLong(row[2]);
            if (row[0].equals("2")) {
                keptFromHour.put(row[1], slot);
                continue;
            }
            TenantState tenant = byTenant.computeIfAbsent(row[1], any -> new TenantState());
            long generation = Long.parseLong(row[3]);
            long covered = Long.parseLong(row[4]);
            if (row[0].equals("1")) {
                tenant.days().put(slot, new ClickHouseDays.DayRecord(generation, covered));
            } else {
                // no record joined: zeros, so the hour's mark is newer than what it covers
                tenant.hours().put(slot, new HourState(generation, covered, Long.parseLong(row[5])));
            }
        }
        keptFromHour.forEach((tenant, hour) -> {
            TenantState state = byTenant.get(tenant);
            if (state != null) {
                freeze(state.hours().headMap(hour, false));
            }
        });
        return byTenant;
    }

    /**
     * The hours before the tenant's retention horizon lost their raw rows: one recorded is current
     * whatever marks it got since (a chat referencing it, an erasure, a correction's tombstone), so
     * reads and day rows take its rollup rows; it is never recomputed ({@link #recompute}). One never
     * recorded is read from what raw rows are left.
     */
    private static void freeze(NavigableMap<Long, HourState> expired) {
        expired.replaceAll((hour, state) -> state.covered() > 0 && state.covered() < state.marked()
                ? new HourState(state.generation(), state.covered(), state.covered()) : state);
    }

    private static SqlBuilder scope(SqlBuilder sql, String tenantId, String column, long first, long end) {
        if (tenantId != null) {
            sql.append("tenant_id = ").value(tenantId).append(" AND ");
        }
        return sql.append(column + " >= ").value(first).append(" AND " + column + " < ").value(end);
    }

    /**
     * Recomputes the hours that are due: over, with marks at least {@link #SETTLE_MS} old, and newer
     * than what their rollup rows cover. Returns how many hours it recorded.
     */
    int recomputeDue() {
        long now = clock.getAsLong();
        int hours = recompute(mark -> mark.markedMs() <= now - SETTLE_MS && (mark.hour() + 1) * HOUR_MS + SETTLE_MS <= now);
        if (hours > 0 || !daysChecked) {
            // only hours recorded since can have changed a day; at the first round, a crash may have left days unbuilt
            compactDays(day -> (day + 1) * Rollups.DAY_MS + SETTLE_MS <= now);
            daysChecked = true;
        }
        return hours;
    }

    /**
     * Recomputes every hour not covered, open or not, however fresh its marks: only right when no
     * write is in flight on any instance (a test after its writes returned, a bulk load after it
     * finished).
     */
    int recomputeAll() {
        // covering fresh marks breaks what reusing them assumes: every write from now on marks anew
        synchronized (recentMarks) {
            recentMarks.clear();
        }
        int hours = recompute(mark -> true);
        compactDays(day -> true);
        return hours;
    }

    /**
     * Recomputes every hour of the tenant before {@code horizonMs} not covered: before retention
     * deletes their raw rows, after which they can never be recomputed. Events before the horizon
     * are refused by then, but a write another instance accepted just before may still be inserting
     * behind its marks: when a mark of those hours is younger than {@link #SETTLE_MS}, this waits
     * until it is that old, when every write relying on it has its rows in (as the worker does).
     */
    int recomputeBefore(String tenantId, long horizonMs) {
        long newest = 0;
        // the hours before an earlier horizon are never recomputed: their marks are not waited for
        long firstHour = Math.max(0, Math.floorDiv(keptFrom.all().getOrDefault(tenantId, 0L), HOUR_MS));
        for (HourState state : hourStatesByTenant(tenantId, firstHour, Math.floorDiv(horizonMs, HOUR_MS))
                .getOrDefault(tenantId, new TenantState()).hours().values()) {
            if (state.covered() < state.marked()) {
                newest = Math.max(newest, state.marked());
            }
        }
        long wait = newest + SETTLE_MS - clock.getAsLong();
        if (newest > 0 && wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new ClickHouseException("interrupted while the marks of the hours before a retention horizon"
                        + " settled", interrupted);
            }
        }
        synchronized (recentMarks) {
            recentMarks.keySet().removeIf(hour -> hour.tenantId().equals(tenantId) && (hour.hour() + 1) * HOUR_MS <= horizonMs);
        }
        return recompute(mark -> mark.tenantId().equals(tenantId) && (mark.hour() + 1) * HOUR_MS <= horizonMs);
    }

    /**
     * Builds the day rows of every day that is due and whose hours are all recorded and current,
     * unless its recorded day rows were built from those same hours. Returns the days recorded.
     */
    int compactDays(java.util.function.LongPredicate due) {
        int recorded = 0;
        for (Map.Entry<String, TenantState> tenant : hourStatesByTenant(null, 0, Long.MAX_VALUE / 2).entrySet()) {
            TenantState state = tenant.getValue();
            Map<Long, Long> pending = new TreeMap<>();
            for (long day : state.hours().keySet().stream().map(hour -> Math.floorDiv(hour, 24)).distinct().toList()) {
                Long digest = ClickHouseDays.digest(state.hours(), day);
                ClickHouseDays.DayRecord record = state.days().get(day);
                if (digest != null && due.test(day) && (record == null || record.digest() != digest)) {
                    pending.put(day, digest);
                }
            }
            if (!pending.isEmpty()) {
                recorded += ClickHouseDays.compact(http, tenant.getKey(), state.hours(), pending);
            }
        }
        return recorded;
    }

    private record Mark(String tenantId, long hour, long markedMs) {
    }

    private int recompute(java.util.function.Predicate<Mark> due) {
        // an hour whose raw rows retention deleted keeps the rollup rows made before: raw rows would add up to nothing
        Map<String, Long> kept = keptFrom.all();
        Map<String, TreeMap<Long, Long>> pending = new TreeMap<>();
        Map<TenantHour, Long> covered = new HashMap<>();
        for (Row row : http.query("SELECT tenant_id, hour, argMax(covered_ms, version) AS covered FROM " + HOURS
                + " GROUP BY tenant_id, hour")) {
            covered.put(new TenantHour(row.string("tenant_id"), row.longValue("hour")), row.longValue("covered"));
        }
        for (Row row : http.query("SELECT tenant_id, hour, max(marked_ms) AS marked FROM " + MARKS
                + " GROUP BY tenant_id, hour")) {
            Mark mark = new Mark(row.string("tenant_id"), row.longValue("hour"), row.longValue("marked"));
            if (mark.markedMs() > covered.getOrDefault(new TenantHour(mark.tenantId(), mark.hour()), -1L)
                    && (mark.hour() + 1) * HOUR_MS > kept.getOrDefault(mark.tenantId(), ClickHouseKeptFrom.WHOLE)
                    && due.test(mark)) {
                pending.computeIfAbsent(mark.tenantId(), any -> new TreeMap<>()).put(mark.hour(), mark.markedMs());
            }
        }
        int recorded = 0;
        for (Map.Entry<String, TreeMap<Long, Long>> tenant : pending.entrySet()) {
            List<Map.Entry<Long, Long>> hours = new ArrayList<>(tenant.getValue().entrySet());
            for (int start = 0; start < hours.size(); start += HOURS_PER_RECOMPUTATION) {
                recorded += recompute(tenant.getKey(),
                        hours.subList(start, Math.min(hours.size(), start + HOURS_PER_RECOMPUTATION)));
            }
        }
        return recorded;
    }

    /** One tenant's hours (hour to the newest mark it covers): every table's rows, then the record. */
    private int recompute(String tenantId, List<Map.Entry<Long, Long>> hours) {
        long generation = GENERATIONS.nextLong() & Long.MAX_VALUE;
        List<long[]> ranges = new ArrayList<>();
        hours.forEach(hour -> addRange(ranges, hour.getKey() * HOUR_MS, (hour.getKey() + 1) * HOUR_MS));
        movedRows.settle(http, tenantId, ranges);
        for (RollupTable table : storedTables()) {
            RollupRead read = RollupRead.of(table, tenantId, ranges.get(0)[0], ranges.get(ranges.size() - 1)[1]);
            String raw = ClickHouseSchema.rows(table.source());
            List<Row> rows = http.query(ClickHouseLiterals.bind(
                    RollupRelations.derivedRows(read, RollupTable.Grain.HOUR, ranges, raw, dialect)));
            store(table.name(), tenantId, generation, rows.stream().map(row -> storedRow(table, row, generation))
                    .toList());
        }
        List<Row> members = http.query(ClickHouseLiterals.bind(ClickHouseMemberUsage.derivedRows(tenantId, ranges,
                RawTable.EVENTS.tableName() + " FINAL")));
        store(ClickHouseMemberUsage.TABLE, tenantId, generation, members.stream()
                .map(row -> ClickHouseMemberUsage.storedRow(row, generation)).toList());
        List<Row> callParts = http.query(ClickHouseLiterals.bind(ClickHouseCallPartSums.derivedRows(tenantId, ranges,
                ClickHouseSchema.rows(RawTable.EVENTS), dialect, null, null)));
        store(ClickHouseCallPartSums.TABLE, tenantId, generation, callParts.stream()
                .map(row -> ClickHouseCallPartSums.storedRow(row, generation)).toList());
        // each call's row from its parts wherever they are: their hours' sums where current, raw rows elsewhere
        String callRows = ClickHouseSchema.rows(RawTable.CALLS);
        ClickHouseCallParts parts = new ClickHouseCallParts(sql -> http.query(ClickHouseLiterals.bind(sql)), this, null,
                ClickHouseSchema.rows(RawTable.EVENTS), callRows);
        List<ObjectNode> calls = ClickHouseCallCostRanks.listRows(http.query(ClickHouseLiterals.bind(
                ClickHouseCallCostRows.derivedRowsToStore(callRows, ClickHouseCallCostRows.callsIn(tenantId, ranges,
                        null), parts, tenantId))), generation);
        store(ClickHouseCallCostRows.TABLE, tenantId, generation, calls);
        store(ClickHouseCallCostRows.HOUR_SUMS, tenantId, generation, ClickHouseCallCostRows.hourSums(calls, generation));
        // A retention run (this instance's writer, or another instance) may have recorded its horizon since
        // these hours were picked, and be deleting their raw rows: what was read of an hour before it is not
        // recorded, as the run recorded that hour from whole rows first. Read now, not cached: a horizon not
        // recorded yet means no row of these hours was deleted when they were read.
        long keptFrom = this.keptFrom.all().getOrDefault(tenantId, ClickHouseKeptFrom.WHOLE);
        hours = hours.stream().filter(hour -> (hour.getKey() + 1) * HOUR_MS > keptFrom).toList();
        if (hours.isEmpty()) {
            return 0;
        }
        StringBuilder record = new StringBuilder();
        long version = Versions.after(0);
        for (Map.Entry<Long, Long> hour : hours) {
            record.append(json(MAPPER.createObjectNode().put("tenant_id", tenantId).put("hour", hour.getKey())
                    .put("covered_ms", hour.getValue()).put("generation", generation).put("version", version)))
                    .append('\n');
        }
        http.insert(HOURS, record.toString());
        return hours.size();
    }

    /** Inserts one table's rows of a generation and checks that each landed once. */
    private void store(String table, String tenantId, long generation, List<ObjectNode> rows) {
        if (rows.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (ObjectNode row : rows) {
            lines.append(json(row)).append('\n');
        }
        http.insert(table, lines.toString());
        long landed = http.query(ClickHouseLiterals.bind(new SqlBuilder().append("SELECT count() AS n FROM "
                + table + " WHERE tenant_id = ").value(tenantId).append(" AND generation = ").value(generation)
                .build())).get(0).longValue("n");
        if (landed != rows.size()) {
            // an insert retried on another endpoint after the first had landed: leave this generation unread
            throw new ClickHouseException(table + " got " + landed + " rows of generation " + generation + " for "
                    + rows.size() + " computed; the hours stay read from raw rows", null);
        }
    }

    private static ObjectNode storedRow(RollupTable table, Row derived, long generation) {
        ObjectNode row = MAPPER.createObjectNode().put("tenant_id", derived.string("tenant_id"))
                .put("hour", derived.longValue("hour")).put("generation", generation);
        table.keys().forEach(key -> JsonColumns.copy(derived, key, row));
        for (RollupTable.Measure measure : table.measures()) {
            Object value = derived.asMap().get(measure.name());
            if (value == null) {
                row.putNull(measure.name());
            } else {
                row.put(measure.name(), derived.longValue(measure.name()));
            }
        }
        return row;
    }

    private static String json(ObjectNode row) {
        try {
            return MAPPER.writeValueAsString(row);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
