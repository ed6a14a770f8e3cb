package dev.tally.store.clickhouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.sql.EventColumn;
import dev.tally.store.sql.SqlBuilder;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Day rows for ClickHouse's hourly rollups: a read of whole UTC days sums a day's 24 hours from
 * one row per key instead of up to 24, which is what keeps a 90-day report as fast at 100M events
 * as at 1M (the hourly tables grow with the hours that hold data; a day table by 24 times less).
 *
 * <p>Exactly once without deltas, like the hours: a day's rows are built from the recorded
 * generations of its hours, under a fresh generation (the first calls of the day too,
 * {@link ClickHouseCallCostDays}), and recorded in {@code rollup_days} with a
 * digest of the (hour, generation) pairs they were built from. A read uses a day's rows only when
 * that digest is the digest of the day's current hours; an hour recomputed since (a late event)
 * changes the digest, and the day is read hour by hour until the worker builds it again. Rows of a
 * generation that was never recorded are never read.
 */
final class ClickHouseDays {
    static final String DAYS = "rollup_days";
    private static final long HOURS_PER_DAY = 24;
    private static final int DAYS_PER_COMPACTION = 31;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SecureRandom GENERATIONS = new SecureRandom();

    private ClickHouseDays() {
    }

    /** The day table of a stored hourly table. */
    static String table(RollupTable stored) {
        return stored.name() + "_days";
    }

    /** A day's record: the generation of its rows and the digest of the hours they were built from. */
    record DayRecord(long generation, long digest) {
    }

    /**
     * The digest of a day's hours, when every hour that holds rows is recorded and current; null
     * when an hour is not (its rows would be missing from the day's) or no hour holds rows.
     */
    static Long digest(NavigableMap<Long, ClickHouseRollups.HourState> hours, long day) {
        long digest = 17;
        boolean any = false;
        for (Map.Entry<Long, ClickHouseRollups.HourState> hour
                : hours.subMap(day * HOURS_PER_DAY, true, (day + 1) * HOURS_PER_DAY, false).entrySet()) {
            ClickHouseRollups.HourState state = hour.getValue();
            if (state.marked() == 0) {
                continue;
            }
            if (state.covered() < state.marked()) {
                return null;
            }
            digest = digest * 1_000_003L + hour.getKey() * 31 + state.generation();
            any = true;
        }
        return any ? digest : null;
    }

    /**
     * Builds the rows of these days (day to its digest) of one tenant, from their hours' recorded
     * generations, then records them. Returns the days recorded.
     */
    static int compact(ClickHouseHttp http, String tenantId, NavigableMap<Long, ClickHouseRollups.HourState> hours,
                       Map<Long, Long> days) {
        List<Long> pending = new ArrayList<>(new TreeMap<>(days).keySet());
        int recorded = 0;
        for (int start = 0; start < pending.size(); start += DAYS_PER_COMPACTION) {
            List<Long> chunk = pending.subList(start, Math.min(pending.size(), start + DAYS_PER_COMPACTION));
            recorded += compactChunk(http, tenantId, hours, chunk, days);
        }
        return recorded;
    }

    private static int compactChunk(ClickHouseHttp http, String tenantId,
                                    NavigableMap<Long, ClickHouseRollups.HourState> hours, List<Long> chunk,
                                    Map<Long, Long> digests) {
        long generation = GENERATIONS.nextLong() & Long.MAX_VALUE;
        SqlBuilder pairs = new SqlBuilder();
        String comma = "";
        for (long day : chunk) {
            for (Map.Entry<Long, ClickHouseRollups.HourState> hour
                    : hours.subMap(day * HOURS_PER_DAY, true, (day + 1) * HOURS_PER_DAY, false).entrySet()) {
                if (hour.getValue().marked() != 0) {
                    pairs.append(comma + "(").value(hour.getKey()).append(", ").value(hour.getValue().generation())
                            .append(")");
                    comma = ", ";
                }
            }
        }
        long firstHour = chunk.get(0) * HOURS_PER_DAY;
        long endHour = (chunk.get(chunk.size() - 1) + 1) * HOURS_PER_DAY;
        for (RollupTable table : ClickHouseRollups.storedTables()) {
            SqlBuilder scope = new SqlBuilder().append(" FROM " + table.name() + " WHERE tenant_id = ").value(tenantId)
                    .append(" AND hour >= ").value(firstHour).append(" AND hour < ").value(endHour)
                    .append(" AND (hour, generation) IN (").append(pairs.build()).append(")");
            String keys = table.keys().stream().map(EventColumn::name).reduce("", (list, key) -> list + ", " + key);
            String grouping = " GROUP BY tenant_id, intDiv(hour, " + HOURS_PER_DAY + ")" + keys;
            long expected = http.query(ClickHouseLiterals.bind(new SqlBuilder().append("SELECT count() AS n FROM (SELECT 1")
                    .append(scope.build()).append(grouping + ") AS day_groups").build())).get(0).longValue("n");
            if (expected == 0) {
                continue;
            }
            // positional: a result alias named like its column would be read back into its own aggregate
            SqlBuilder insert = new SqlBuilder().append("INSERT INTO " + table(table) + " (tenant_id, day, generation"
                    + keys);
            table.measures().forEach(measure -> insert.append(", " + measure.name()));
            insert.append(") SELECT tenant_id, intDiv(hour, " + HOURS_PER_DAY + "), toInt64(").value(generation)
                    .append(")" + keys);
            for (RollupTable.Measure measure : table.measures()) {
                insert.append(", " + switch (measure.combine()) {
                    case SUM -> "sum";
                    case MIN -> "min";
                    case MAX -> "max";
                } + "(" + measure.name() + ")");
            }
            http.execute(ClickHouseLiterals.bind(insert.append(scope.build()).append(grouping).build()));
            long landed = http.query(ClickHouseLiterals.bind(new SqlBuilder().append("SELECT count() AS n FROM "
                    + table(table) + " WHERE tenant_id = ").value(tenantId).append(" AND generation = ")
                    .value(generation).build())).get(0).longValue("n");
            if (landed != expected) {
                throw new ClickHouseException(table(table) + " got " + landed + " rows of generation " + generation
                        + " for " + expected + "; the days stay read by the hour", null);
            }
        }
        ClickHouseCallCostDays.build(http, tenantId, firstHour, endHour, pairs.build(), generation);
        StringBuilder record = new StringBuilder();
        long version = Versions.after(0);
        for (long day : chunk) {
            record.append(MAPPER.createObjectNode().put("tenant_id", tenantId).put("day", day)
                    .put("generation", generation).put("digest", digests.get(day)).put("version", version).toString())
                    .append('\n');
        }
        http.insert(DAYS, record.toString());
        return chunk.size();
    }
}
