package dev.tally.store.rollup;

import dev.tally.event.Event;
import dev.tally.store.sql.EventColumn;
import dev.tally.store.sql.RawTable;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * One pre-aggregated table: a row per (tenant, time slot of its {@link Grain}, {@code keys})
 * holding integers.
 *
 * <p>Rows are deltas, not totals: a write appends one row per key it touched, with negative sums
 * for a call state that was replaced, and readers always aggregate the rows of the keys they need
 * ({@code sum} of a sum, {@code min} of a minimum; a ClickHouse SummingMergeTree keeps the same
 * shape). Only integers, so a rollup answer is exactly the raw answer. A store compacts the deltas
 * whenever it likes.
 *
 * @param grain how long one time slot is: a UTC day for the day-based reports, an hour for the
 *     call statistics, whose buckets start at any whole hour of the request's time zone
 * @param keys the grouping columns after {@code tenant_id} and the time slot
 * @param measures the first is always the row count, whose zero marks a cancelled group
 * @param covers which events (or call states) the table counts
 * @param source the raw table holding what the rollup counts: {@code calls} for call states
 * @param sourceCondition {@code covers} as SQL over a row of {@code source}; {@code keys} and
 *     {@code measures} carry their SQL too, so a store can derive the rollup's rows from the raw
 *     rows ({@link RollupRelations}) and the contract suites check that both agree
 */
public record RollupTable(String name, Grain grain, List<EventColumn> keys, List<Measure> measures,
                          Predicate<Event> covers, RawTable source, String sourceCondition) {

    /** The length of a rollup row's time slot, and the name of the column holding the slot number. */
    public enum Grain {
        DAY("day", 86_400_000L),
        HOUR("hour", 3_600_000L);

        private final String column;
        private final long milliseconds;

        Grain(String column, long milliseconds) {
            this.column = column;
            this.milliseconds = milliseconds;
        }

        public String column() {
            return column;
        }

        public long milliseconds() {
            return milliseconds;
        }

        /** The slot holding an instant: whole slots since the epoch, floored (times before 1970 too). */
        public long slot(long timeMs) {
            return Math.floorDiv(timeMs, milliseconds);
        }

        /** The first slot starting at or after an instant, without overflow at the ends of {@code long}. */
        public long slotAtOrAfter(long timeMs) {
            return Math.floorDiv(timeMs, milliseconds) + (Math.floorMod(timeMs, milliseconds) == 0 ? 0 : 1);
        }
    }

    /**
     * How the rows of one group combine. A minimum or maximum cannot be taken back: a group of such a
     * table that loses an event (a corrected one) is recomputed from the raw rows instead, so only
     * tables whose groups are small (an hour or a day of one model) should have them.
     */
    public enum Combine {
        SUM,
        MIN,
        MAX
    }

    /**
     * A stored column and what one event contributes to it, in Java and as SQL over the raw row.
     * The SQL of a sum is never NULL; that of a minimum or maximum is NULL where the Java value is
     * the identity (an event without a latency), which SQL's {@code min} and {@code max} skip alike.
     */
    public record Measure(String name, Combine combine, ToLongFunction<Event> value, String sql) {

        /** The value of a group without events: what combining with it changes nothing. */
        public long identity() {
            return switch (combine) {
                case SUM -> 0;
                case MIN -> Long.MAX_VALUE;
                case MAX -> Long.MIN_VALUE;
            };
        }
    }

    /** The key and measure column names in stored order: tenant_id, time slot, keys…, measures…. */
    public List<String> columnNames() {
        List<String> names = new java.util.ArrayList<>(List.of("tenant_id", grain.column()));
        keys.forEach(key -> names.add(key.name()));
        measures.forEach(measure -> names.add(measure.name()));
        return names;
    }

    /** The first measure: how many events (or calls) a row stands for. */
    public String countColumn() {
        return measures.get(0).name();
    }

    /** Each measure's identity, in order: the values of a group without events. */
    public long[] identities() {
        long[] values = new long[measures.size()];
        for (int index = 0; index < values.length; index++) {
            values[index] = measures.get(index).identity();
        }
        return values;
    }

    /** Whether every measure is a sum, which a replaced call state can be taken back from. */
    public boolean onlySums() {
        return measures.stream().allMatch(measure -> measure.combine() == Combine.SUM);
    }
}
