package dev.tally.store.rollup;

import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.store.callcost.CallCostDeltas;
import dev.tally.store.rollup.RollupTable.Grain;
import dev.tally.store.sql.ColumnKind;
import dev.tally.store.sql.EventColumn;
import dev.tally.store.sql.RawTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The rollup tables every store keeps beside its raw tables, and the delta rows a write adds to
 * them. Store-neutral: DuckDB appends the deltas in the transaction that stores the events;
 * ClickHouse can insert them into SummingMergeTree tables of the same columns.
 *
 * <p>Dimensions are the ones the day-based reports filter and group by, and no more, so a row
 * stands for many events: a report's cost follows the number of (day, dimension) groups it
 * reads, not the number of events.
 */
public final class Rollups {
    public static final long DAY_MS = 86_400_000L;
    private static final String CALL_CONDITION = "type = '" + EventType.CALL.wireName() + "'";
    private static final String NOT_CALL_CONDITION = "type <> '" + EventType.CALL.wireName() + "'";

    /**
     * Spend and tokens-by-assistant: calls per agent and status. Sentiments and duration buckets
     * are counted in columns of their own rather than being keys, so a day holds a row per agent
     * and status (not per every combination of five keys) and the spend totals are plain sums,
     * read without a {@code CASE} per row.
     */
    public static final RollupTable CALLS_BY_AGENT = new RollupTable("rollup_calls_by_agent", Grain.DAY,
            List.of(key("agent_id", event -> event.agentId), key("status", event -> event.status)),
            List.of(measure("calls", event -> 1, "1"),
                    measure("timed_calls", event -> event.durationMs == null ? 0 : 1,
                            "CASE WHEN duration_ms IS NULL THEN 0 ELSE 1 END"),
                    measure("duration_ms", event -> orZero(event.durationMs), "coalesce(duration_ms, 0)"),
                    measure("cost_nanos", event -> event.costNanos, "cost_nanos"),
                    measure("unpriced_calls", event -> event.costSource == CostSource.UNPRICED ? 1 : 0,
                            "CASE WHEN cost_source = '" + CostSource.UNPRICED.wireName() + "' THEN 1 ELSE 0 END"),
                    sentimentMeasure("positive"), sentimentMeasure("neutral"), sentimentMeasure("negative"),
                    durationBucketMeasure(CallDurationBucket.UNDER_30_SECONDS),
                    durationBucketMeasure(CallDurationBucket.HALF_TO_ONE_MINUTE),
                    durationBucketMeasure(CallDurationBucket.ONE_TO_THREE_MINUTES),
                    durationBucketMeasure(CallDurationBucket.THREE_TO_FIVE_MINUTES),
                    durationBucketMeasure(CallDurationBucket.OVER_FIVE_MINUTES)),
            event -> event.type == EventType.CALL, RawTable.CALLS, CALL_CONDITION);

    /** Phone usage: calls per number, direction, status and whether they have an end time. */
    public static final RollupTable CALLS_BY_PHONE = new RollupTable("rollup_calls_by_phone", Grain.DAY,
            List.of(key("phone_number", event -> event.phoneNumber), key("direction", event -> event.direction),
                    key("status", event -> event.status),
                    integerKey("ended", event -> event.endedMs == null ? 0 : 1,
                            "CASE WHEN ended_ms IS NULL THEN 0 ELSE 1 END")),
            List.of(measure("calls", event -> 1, "1"),
                    measure("duration_ms", event -> orZero(event.durationMs), "coalesce(duration_ms, 0)")),
            event -> event.type == EventType.CALL, RawTable.CALLS, CALL_CONDITION);

    /** SMS usage and tokens by assistant: every other event type, summed per type, agent, number and direction. */
    public static final RollupTable EVENTS = new RollupTable("rollup_events", Grain.DAY,
            List.of(key("type", event -> event.type.wireName()), key("agent_id", event -> event.agentId),
                    key("phone_number", event -> event.phoneNumber), key("direction", event -> event.direction)),
            usageMeasures(), event -> event.type != EventType.CALL, RawTable.EVENTS, NOT_CALL_CONDITION);

    /**
     * AI and voice usage: the same sums per type, provider, model, kind and whether priced. Kept
     * apart from {@link #EVENTS} because every key multiplies a day's rows: the two tables together
     * hold far fewer rows than one keyed by all eight, and each report reads only the keys it groups by.
     */
    public static final RollupTable USAGE_BY_MODEL = new RollupTable("rollup_usage_by_model", Grain.DAY,
            List.of(key("type", event -> event.type.wireName()), key("provider", event -> event.provider),
                    key("model", event -> event.model), key("kind", event -> event.kind),
                    integerKey("unpriced", event -> event.costSource == CostSource.UNPRICED ? 1 : 0,
                            "CASE WHEN cost_source = '" + CostSource.UNPRICED.wireName() + "' THEN 1 ELSE 0 END")),
            usageMeasures(), event -> event.type != EventType.CALL, RawTable.EVENTS, NOT_CALL_CONDITION);

    private static List<RollupTable.Measure> usageMeasures() {
        return List.of(measure("events", event -> 1, "1"),
                measure("input_tokens", event -> event.inputTokens, "input_tokens"),
                measure("cached_input_tokens", event -> event.cachedInputTokens, "cached_input_tokens"),
                measure("cache_creation_input_tokens", event -> event.cacheCreationInputTokens,
                        "cache_creation_input_tokens"),
                measure("output_tokens", event -> event.outputTokens, "output_tokens"),
                measure("input_audio_tokens", event -> event.inputAudioTokens, "input_audio_tokens"),
                measure("output_audio_tokens", event -> event.outputAudioTokens, "output_audio_tokens"),
                measure("characters", event -> orZero(event.characters), "coalesce(characters, 0)"),
                measure("audio_duration_ms", event -> orZero(event.audioDurationMs), "coalesce(audio_duration_ms, 0)"),
                measure("duration_ms", event -> orZero(event.durationMs), "coalesce(duration_ms, 0)"),
                measure("segments", event -> event.segments == null ? 0 : event.segments, "coalesce(segments, 0)"),
                measure("credits_micros", event -> event.creditsMicros, "credits_micros"),
                measure("cost_nanos", event -> event.costNanos, "cost_nanos"));
    }

    /**
     * Call statistics: llm events per hour and model, with what every aggregation of every metric
     * needs (count, sum, minimum, maximum, zeros), so any bucket of whole hours is answered exactly.
     */
    public static final RollupTable LLM_BY_HOUR = new RollupTable("rollup_llm_by_hour", Grain.HOUR,
            List.of(key("model", event -> event.model)), LlmMeasures.ALL, event -> event.type == EventType.LLM,
            RawTable.EVENTS, "type = '" + EventType.LLM.wireName() + "'");

    /** The same per UTC day: a month of daily buckets reads 31 rows a model instead of 744. */
    public static final RollupTable LLM_BY_DAY = new RollupTable("rollup_llm_by_day", Grain.DAY,
            LLM_BY_HOUR.keys(), LLM_BY_HOUR.measures(), LLM_BY_HOUR.covers(), LLM_BY_HOUR.source(),
            LLM_BY_HOUR.sourceCondition());

    /** Call statistics' latency percentiles: a {@link LatencySketch} per hour, one row per bucket index. */
    public static final RollupTable LLM_LATENCY = new RollupTable("rollup_llm_latency", Grain.HOUR,
            List.of(integerKey("sketch_index", event -> LatencySketch.index(event.endedMs - event.timeMs),
                    LatencySketch.indexSql("(ended_ms - time_ms)"))),
            List.of(measure("latencies", event -> 1, "1")),
            event -> event.type == EventType.LLM && event.endedMs != null,
            RawTable.EVENTS, "type = '" + EventType.LLM.wireName() + "' AND ended_ms IS NOT NULL");

    /**
     * The same sketch per UTC day: a month of daily buckets merges 31 sketches instead of 744, for
     * requests whose buckets are whole UTC days.
     */
    public static final RollupTable LLM_LATENCY_BY_DAY = new RollupTable("rollup_llm_latency_by_day", Grain.DAY,
            LLM_LATENCY.keys(), LLM_LATENCY.measures(), LLM_LATENCY.covers(), LLM_LATENCY.source(),
            LLM_LATENCY.sourceCondition());

    public static final List<RollupTable> ALL = List.of(CALLS_BY_AGENT, CALLS_BY_PHONE, EVENTS, USAGE_BY_MODEL,
            LLM_BY_HOUR, LLM_BY_DAY, LLM_LATENCY, LLM_LATENCY_BY_DAY);

    /**
     * The table of {@link #ALL} before this one that counts the same events by the same keys and
     * measures in slots that divide this one's (the hourly table of a daily one), if there is one:
     * a group of this table is exactly the combination of that table's rows in its slot.
     */
    public static java.util.Optional<RollupTable> finer(RollupTable table) {
        for (RollupTable other : ALL.subList(0, ALL.indexOf(table))) {
            if (other.keys().equals(table.keys()) && other.measures().equals(table.measures())
                    && other.covers() == table.covers() && other.grain().milliseconds() < table.grain().milliseconds()
                    && table.grain().milliseconds() % other.grain().milliseconds() == 0) {
                return java.util.Optional.of(other);
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Bumped whenever a table, its keys or its measures change (these tables or the member usage
     * table, {@link MemberUsageRollup}): a store opened with rollups of another version rebuilds
     * them all from the raw tables. 3: hourly llm tables and member usage. 4: calls by agent
     * and status with sentiment and duration columns; usage by model apart from usage by agent and number;
     * daily latency sketches. 5: daily llm measures. 6: call duration buckets closed at the top
     * (exactly 5 min is 3–5 min), renamed by their ranges. 7: unpriced calls per agent and status.
     */
    public static final int VERSION = 7;

    private Rollups() {
    }

    private static RollupTable.Measure durationBucketMeasure(CallDurationBucket bucket) {
        return measure(bucket.column(), event -> CallDurationBucket.of(event.durationMs).orElse(null) == bucket ? 1 : 0,
                "CASE WHEN " + bucket.sqlCondition("duration_ms") + " THEN 1 ELSE 0 END");
    }

    private static RollupTable.Measure sentimentMeasure(String sentiment) {
        return measure("sentiment_" + sentiment, event -> sentiment.equals(event.sentiment) ? 1 : 0,
                "CASE WHEN sentiment = '" + sentiment + "' THEN 1 ELSE 0 END");
    }

    public static long day(long timeMs) {
        return Grain.DAY.slot(timeMs);
    }

    /**
     * Accumulates the delta rows of one write: added events count +1, replaced call states and
     * corrected events −1. A minimum or maximum cannot take a value back: a group of a table with
     * them that loses an event keeps its sums' deltas and, apart, the extremes of what it lost
     * ({@link #lost}). The store then compares those with the group's stored extremes
     * ({@link #keepsExtremes}): a group whose lost values were none of its extremes writes its deltas
     * like any other; the store rebuilds the rest from the raw rows, in the write (their deltas left
     * out) or later (their deltas written, their extremes bounds until then).
     */
    public static final class Deltas {
        // By identity: a table record's own hashCode walks its key and measure lists, on every event.
        private final Map<RollupTable, Map<List<Object>, long[]>> sums = new java.util.IdentityHashMap<>();
        /** Per table with extremes, per group that lost events: the smallest lost value of each minimum, the largest of each maximum. */
        private final Map<RollupTable, Map<List<Object>, long[]>> lost = new java.util.IdentityHashMap<>();
        private final CallCostDeltas callCosts = new CallCostDeltas();

        public void add(Event event) {
            apply(event, 1);
            callCosts.add(event);
        }

        /** Takes an event back from every table: a replaced call state, or a stored event a revision replaces. */
        public void remove(Event event) {
            apply(event, -1);
            callCosts.remove(event);
        }

        /** The per-call cost rows of the same events: what each adds to the call it names. */
        public CallCostDeltas callCosts() {
            return callCosts;
        }

        private void apply(Event event, int sign) {
            for (RollupTable table : ALL) {
                if (!table.covers().test(event)) {
                    continue;
                }
                if (sign < 0 && !table.onlySums()) {
                    List<RollupTable.Measure> measures = table.measures();
                    long[] extremes = lost.computeIfAbsent(table, any -> new HashMap<>())
                            .computeIfAbsent(group(table, event), any -> table.identities());
                    for (int index = 0; index < extremes.length; index++) {
                        long value = measures.get(index).value().applyAsLong(event);
                        extremes[index] = switch (measures.get(index).combine()) {
                            case SUM -> 0;
                            case MIN -> Math.min(extremes[index], value);
                            case MAX -> Math.max(extremes[index], value);
                        };
                    }
                }
                add(table, event, sign);
            }
        }

        /** Adds one event to one table, whether or not the table covers it (a recomputation has checked). */
        public void add(RollupTable table, Event event) {
            add(table, event, 1);
        }

        private void add(RollupTable table, Event event, int sign) {
            List<RollupTable.Measure> measures = table.measures();
            long[] values = sums.computeIfAbsent(table, any -> new HashMap<>())
                    .computeIfAbsent(group(table, event), any -> table.identities());
            for (int index = 0; index < values.length; index++) {
                RollupTable.Measure measure = measures.get(index);
                long value = measure.value().applyAsLong(event);
                // a value taken back leaves the extremes alone: lost() says whether it was one of them
                values[index] = switch (measure.combine()) {
                    case SUM -> Math.addExact(values[index], sign * value);
                    case MIN -> sign < 0 ? values[index] : Math.min(values[index], value);
                    case MAX -> sign < 0 ? values[index] : Math.max(values[index], value);
                };
            }
        }

        /** The group an event counts in: tenant_id, time slot, keys…. */
        public static List<Object> group(RollupTable table, Event event) {
            Object[] key = new Object[table.keys().size() + 2];
            key[0] = event.tenantId;
            key[1] = table.grain().slot(event.timeMs);
            for (int index = 0; index < table.keys().size(); index++) {
                key[index + 2] = table.keys().get(index).read(event);
            }
            return Arrays.asList(key);
        }

        /**
         * The groups of a table with minimums or maximums that lost an event in this write, each with
         * the extremes of what it lost (measure by measure; sums' places unused).
         */
        public Map<List<Object>, long[]> lost(RollupTable table) {
            return lost.getOrDefault(table, Map.of());
        }

        /**
         * Whether a group that lost values gets its extremes right from its deltas: for each minimum,
         * the smallest lost value was none at all (the measure's identity), or above the stored
         * minimum (another stored value is the minimum, and stays), or this write adds a value at or
         * below it (whatever the lost values held, the new minimum is the smallest added one, which
         * the deltas carry); maximums alike. Otherwise the group must be rebuilt from its raw rows.
         *
         * @param stored the group's extremes as stored before this write, measure by measure
         */
        public boolean keepsExtremes(RollupTable table, List<Object> group, long[] stored) {
            long[] lostValues = lost(table).get(group);
            long[] added = sums.getOrDefault(table, Map.of()).get(group);
            List<RollupTable.Measure> measures = table.measures();
            for (int index = 0; index < measures.size(); index++) {
                RollupTable.Measure measure = measures.get(index);
                long value = lostValues[index];
                boolean kept = value == measure.identity() || switch (measure.combine()) {
                    case SUM -> true;
                    case MIN -> value > stored[index] || added != null && added[index] <= value;
                    case MAX -> value < stored[index] || added != null && added[index] >= value;
                };
                if (!kept) {
                    return false;
                }
            }
            return true;
        }

        /** Every sum is zero: the call states this write added and took back in the group were the same. */
        private static boolean cancelledOut(RollupTable table, long[] values) {
            for (int index = 0; index < values.length; index++) {
                if (table.measures().get(index).combine() == RollupTable.Combine.SUM && values[index] != 0) {
                    return false;
                }
            }
            return true;
        }

        /** Each group's key for one table (tenant_id, time slot, keys…), groups that cancelled out and lost events included. */
        public java.util.Set<List<Object>> groups(RollupTable table) {
            java.util.Set<List<Object>> groups = new java.util.HashSet<>(sums.getOrDefault(table, Map.of()).keySet());
            groups.addAll(lost(table).keySet());
            return groups;
        }

        /**
         * The rows for one table, for a write that compares no extremes: every group that lost events
         * is left to be rebuilt from raw rows, as {@link #rows(RollupTable, java.util.Set)} would with
         * all of them.
         */
        public List<Object[]> rows(RollupTable table) {
            return rows(table, lost(table).keySet());
        }

        /**
         * The rows for one table: tenant_id, time slot, keys…, measures…; groups that cancelled out
         * (unless they lost events: values taken back and added again may have moved their extremes),
         * and the groups the store rebuilds from raw rows, are left out.
         */
        public List<Object[]> rows(RollupTable table, java.util.Set<List<Object>> rebuilt) {
            List<Object[]> rows = new ArrayList<>();
            Map<List<Object>, long[]> lostGroups = lost(table);
            sums.getOrDefault(table, Map.of()).forEach((key, values) -> {
                if (cancelledOut(table, values) && !lostGroups.containsKey(key) || rebuilt.contains(key)) {
                    return;
                }
                Object[] row = new Object[key.size() + values.length];
                for (int index = 0; index < key.size(); index++) {
                    row[index] = key.get(index);
                }
                for (int index = 0; index < values.length; index++) {
                    row[key.size() + index] = values[index];
                }
                rows.add(row);
            });
            return rows;
        }
    }

    private static EventColumn key(String name, Function<Event, Object> reader) {
        return new EventColumn(name, ColumnKind.STRING, true, reader);
    }

    private static EventColumn integerKey(String name, Function<Event, Object> reader, String sql) {
        return new EventColumn(name, ColumnKind.INTEGER, false, reader, sql);
    }

    private static RollupTable.Measure measure(String name, java.util.function.ToLongFunction<Event> value,
                                               String sql) {
        return new RollupTable.Measure(name, RollupTable.Combine.SUM, value, sql);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
