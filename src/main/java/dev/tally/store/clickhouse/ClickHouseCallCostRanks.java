package dev.tally.store.clickhouse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.store.sql.Row;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lists a recomputed hour's call rows are kept in ({@link ClickHouseCallCostRows}), each call
 * ranked within its hour as the lists sort: a list of {@code limit} calls over any range is among
 * the rows ranked within {@code limit} in their hours, so it reads those alone.
 */
final class ClickHouseCallCostRanks {
    /** How many calls of an hour, by cost either way, are kept in {@link CallList#FIRST}. */
    static final int FIRST_RANKS = 200;

    private ClickHouseCallCostRanks() {
    }

    /** The lists a call's row is kept in, each sorted by its rank within its hour. */
    enum CallList {
        /** Every call once under its agent, ranked within its hour and agent: lists by agent, and every call. */
        EVERY,
        /** The first {@value #FIRST_RANKS} calls of the hour by cost either way, over every agent: lists without agent. */
        FIRST,
        /** The mismatched calls under their agent, ranked within their hour and agent by how much they miss. */
        MISMATCHED;

        int code() {
            return ordinal();
        }
    }

    /**
     * The rows to store for the derived rows of {@link ClickHouseCallCostRows#derivedRowsToStore}:
     * each call in {@link CallList#EVERY}, the first of each hour in {@link CallList#FIRST}, the
     * mismatched in {@link CallList#MISMATCHED}, ranked as the lists sort them.
     */
    static List<ObjectNode> listRows(List<Row> derived, long generation) {
        List<ObjectNode> every = new ArrayList<>(derived.size());
        List<ObjectNode> mismatched = new ArrayList<>();
        for (Row row : derived) {
            ObjectNode stored = ClickHouseCallCostRows.storedRow(row, generation);
            stored.put("agent_key", stored.get("agent_id").isNull() ? "" : stored.get("agent_id").asText());
            every.add(stored);
            if (row.longValue("mismatched") == 1) {
                mismatched.add(stored.deepCopy());
            }
        }
        List<ObjectNode> rows = new ArrayList<>(every.size() + mismatched.size());
        for (List<ObjectNode> agentHour : byHour(every, true)) {
            rank(agentHour, CallList.EVERY);
            rows.addAll(agentHour);
        }
        for (List<ObjectNode> hour : byHour(every, false)) {
            List<ObjectNode> copies = new ArrayList<>(hour.size());
            hour.forEach(row -> copies.add(row.deepCopy().put("agent_key", "")));
            rank(copies, CallList.FIRST);
            copies.stream().filter(row -> row.get("rank").asLong() <= FIRST_RANKS
                    || row.get("rank_ascending").asLong() <= FIRST_RANKS).forEach(rows::add);
        }
        for (List<ObjectNode> agentHour : byHour(mismatched, true)) {
            rank(agentHour, CallList.MISMATCHED);
            rows.addAll(agentHour);
        }
        return rows;
    }

    private static Collection<List<ObjectNode>> byHour(List<ObjectNode> rows, boolean byAgent) {
        Map<List<Object>, List<ObjectNode>> groups = new LinkedHashMap<>();
        for (ObjectNode row : rows) {
            List<Object> key = byAgent ? List.of(row.get("hour").asLong(), row.get("agent_key").asText())
                    : List.of(row.get("hour").asLong());
            groups.computeIfAbsent(key, any -> new ArrayList<>()).add(row);
        }
        return groups.values();
    }

    /**
     * Ranks one hour's rows of a list in the order its reads sort them ({@code call_key} compared as
     * ClickHouse compares strings, by their UTF-8 bytes), from 1.
     */
    private static void rank(List<ObjectNode> rows, CallList list) {
        Comparator<ObjectNode> byKey = Comparator.comparing(row -> row.get("call_key").asText()
                .getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned);
        Comparator<ObjectNode> byCost = Comparator.comparingLong(row -> row.get("total_nanos").asLong());
        rows.forEach(row -> row.put("list", list.code()).put("rank_ascending", 0));
        switch (list) {
            case EVERY, FIRST -> {
                rows.sort(byCost.thenComparing(byKey));
                for (int index = 0; index < rows.size(); index++) {
                    rows.get(index).put("rank_ascending", index + 1);
                }
                rows.sort(byCost.reversed().thenComparing(byKey));
            }
            case MISMATCHED -> rows.sort(Comparator.<ObjectNode>comparingLong(row -> Math.abs(
                    row.get("reported_total_cost_nanos").asLong() - row.get("total_nanos").asLong())).reversed()
                    .thenComparing(byKey));
        }
        for (int index = 0; index < rows.size(); index++) {
            rows.get(index).put("rank", index + 1);
        }
    }
}
