package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.store.callcost.CallCost;
import dev.tally.store.callcost.CallCostOrder;
import dev.tally.store.callcost.CallCostQuery;
import dev.tally.store.callcost.CallCostReads;
import dev.tally.store.callcost.CallCostSummary;
import dev.tally.store.callcost.CostComponent;
import dev.tally.store.rollup.RollupFixture;
import dev.tally.testing.CallEvents;
import dev.tally.testing.ClickHouseCluster;
import dev.tally.event.Event;
import dev.tally.store.ReportStore;
import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.duckdb.DuckDbEventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ClickHouse keeps each call's cost as a row under the call's own hour ({@link ClickHouseCallCostRows}):
 * a recorded hour's calls and sums are read from those rows of its generation alone, and a part that
 * comes after its call's hour was recomputed, in an hour of its own, makes the call's hour read raw
 * until it is recomputed with the part.
 */
class ClickHouseCallCostRowsTest {
    private static final long HOUR_MS = 3_600_000L;
    private static final long DAY_MS = 86_400_000L;
    private static final long HOUR = RollupFixture.END_MS / HOUR_MS - 60;
    private static final long DAY = HOUR / 24;

    private final ClickHouseConfig config = ClickHouseCluster.shared().newDatabase();
    private final ClickHouseEventStore store = (ClickHouseEventStore) ClickHouseStore.open(config).events();
    private final ClickHouseHttp http = new ClickHouseHttp(config.endpoints(), ClickHouseStore.settings(config, true));

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void recordedHoursAreReadFromTheCallRowsOfTheirGeneration() {
        store.write(List.of(CallEvents.call("c1", HOUR * HOUR_MS + 10, 10_000_000, "agent-1"),
                CallEvents.part("s1", "c1", HOUR * HOUR_MS + 60_000, 1_000_000)));
        store.recomputeRollups();
        long generation = http.query("SELECT generation FROM " + ClickHouseRollups.HOURS + " WHERE hour = " + HOUR)
                .get(0).longValue("generation");
        assertThat(http.query("SELECT count() AS n FROM " + ClickHouseCallCostRows.TABLE + " WHERE call_key = 'c1'"
                + " AND generation = " + generation + " GROUP BY list ORDER BY list")).as("once in every list but the"
                + " mismatches").extracting(row -> row.longValue("n")).containsExactly(1L, 1L);
        assertThat(totalOf(callCosts(), "c1")).isEqualTo(11_000_000);

        // the hour alone, not its whole day (which is read from the day's rows): the hour's rows are read
        insertCall(generation + 1, "c9", 99_000_000);
        assertThat(hourCosts().calls()).as("rows of another generation are not read")
                .extracting(CallCost::callId).containsExactly("c1");
        insertCall(generation, "c9", 99_000_000);
        insertHourSum(generation, 99_000_000);
        CallCostSummary summary = hourCosts();
        assertThat(summary.calls()).as("a recorded hour's calls are its rows").extracting(CallCost::callId)
                .containsExactly("c9", "c1");
        assertThat(summary.groups()).as("and its sums are its hour sums")
                .extracting(group -> group.components().total()).containsExactly(11_000_000L + 99_000_000L);
        assertThat(summary.groups().get(0).calls()).isEqualTo(2);
    }

    @Test
    void aPartAfterItsCallsHourWasRecordedMakesThatHourReadRawUntilRecomputed() {
        store.write(List.of(CallEvents.call("c1", HOUR * HOUR_MS + 10, 10_000_000, "agent-1"),
                CallEvents.call("c2", HOUR * HOUR_MS + 20, 5_000_000, "agent-2")));
        store.recomputeRollups();
        assertThat(totalOf(callCosts(), "c1")).isEqualTo(10_000_000);

        // a day and a half later, in an hour and a day of its own
        store.write(List.of(CallEvents.part("late", "c1", (HOUR + 36) * HOUR_MS, 7_000_000)));
        CallCostSummary summary = callCosts();
        assertThat(totalOf(summary, "c1")).as("read raw: the part's write marked its call's hour").isEqualTo(17_000_000);
        assertThat(summary.groups().stream().mapToLong(group -> group.components().total()).sum())
                .isEqualTo(22_000_000);
        assertThat(summary.calls()).extracting(CallCost::callId).containsExactly("c1", "c2");

        store.recomputeRollups();
        summary = callCosts();
        assertThat(totalOf(summary, "c1")).as("recomputed with the part").isEqualTo(17_000_000);
        assertThat(summary.groups().stream().mapToLong(group -> group.components().total()).sum())
                .isEqualTo(22_000_000);
        assertThat(http.query("SELECT sum(stt_nanos) AS stt FROM " + ClickHouseCallCostRows.TABLE + " WHERE call_key = 'c1'"
                + " AND list = 0 AND generation = (SELECT argMax(generation, version) FROM " + ClickHouseRollups.HOURS
                + " WHERE hour = " + HOUR + ")").get(0).longValue("stt")).as("stored").isEqualTo(7_000_000);
    }

    @Test
    void aListByAgentReadsThatAgentsRowsAndSums() {
        store.write(List.of(CallEvents.call("c1", HOUR * HOUR_MS + 10, 10_000_000, "agent-1"),
                CallEvents.call("c2", HOUR * HOUR_MS + 20, 5_000_000, "agent-2"),
                CallEvents.part("s2", "c2", HOUR * HOUR_MS + 30, 1_000_000)));
        store.recomputeRollups();
        CallCostQuery query = new CallCostQuery("t1", DAY * DAY_MS, (DAY + 1) * DAY_MS, "agent-2", 10,
                CallCostOrder.COST_ASC);
        CallCostSummary summary = store.session("t1", query.fromMs(), query.toMs()).callCosts(query);
        assertThat(summary.calls()).extracting(CallCost::callId).containsExactly("c2");
        assertThat(summary.groups()).extracting(CallCostSummary.Group::agentId).containsExactly("agent-2");
        assertThat(summary.groups().get(0).components().get(CostComponent.STT)).isEqualTo(1_000_000);
    }

    /**
     * An hour of 600 calls over three agents and none, costs drawn from six values (so the lists
     * cut through ties, broken by call ids that sort one way as UTF-16 and the other as ClickHouse
     * sorts them, by their UTF-8 bytes), a fifth with a reported total that misses: recorded, every
     * list (within and beyond the first {@value ClickHouseCallCostRanks#FIRST_RANKS} calls an hour
     * keeps, by agent and not, in every order) and its mismatches answer as DuckDB's raw rows do.
     */
    @Test
    void theListsOfAnHourOfManyCallsAnswerAsDuckDbsRawRows() {
        List<Event> calls = manyCalls(5_000L, 5);
        assertListsAnswerAsDuckDb(calls);
        assertThat(http.query("SELECT list, count() AS n FROM " + ClickHouseCallCostRows.TABLE
                + " GROUP BY list ORDER BY list")).as("every call, the first of the hour either way, the mismatches")
                .extracting(row -> row.longValue("n")).containsExactly(600L, 400L,
                        calls.stream().filter(call -> call.reportedTotalCostNanos != null
                                && Math.abs(call.reportedTotalCostNanos - call.costNanos) > 10_000_000L).count());
    }

    /**
     * The same 600 calls over ten hours of a day, 60 an hour, half with a reported total (most of
     * them missing): each hour keeps all of its calls first, so a list of the whole day is cut by the first {@value ClickHouseCallCostDays#KEPT}
     * calls the day keeps (over every agent and by agent), and answers as DuckDB's raw rows do.
     */
    @Test
    void theListsOfADayOfManyCallsAnswerAsDuckDbsRawRows() {
        List<Event> calls = manyCalls(60_000L, 2);
        assertListsAnswerAsDuckDb(calls);
        for (ClickHouseCallCostDays.DayList list : ClickHouseCallCostDays.DayList.values()) {
            boolean mismatches = list == ClickHouseCallCostDays.DayList.MISMATCHED
                    || list == ClickHouseCallCostDays.DayList.AGENT_MISMATCHED;
            java.util.Map<String, Long> byKey = new java.util.TreeMap<>();
            calls.stream().filter(call -> !mismatches || call.reportedTotalCostNanos != null
                    && Math.abs(call.reportedTotalCostNanos - call.costNanos) > 10_000_000L).forEach(call ->
                    byKey.merge(!list.byAgent() ? "" : call.agentId == null ? "" : call.agentId, 1L, Long::sum));
            List<Long> kept = http.query("SELECT agent_key, count() AS n FROM " + ClickHouseCallCostDays.TABLE
                    + " WHERE list = " + list.code() + " GROUP BY agent_key ORDER BY agent_key").stream()
                    .map(row -> row.longValue("n")).toList();
            assertThat(kept).as(list + ": the first of the day" + (list.byAgent() ? " of each agent" : ""))
                    .isEqualTo(byKey.values().stream().map(n -> Math.min(n, ClickHouseCallCostDays.KEPT)).toList());
        }
    }

    /**
     * Whole days whose record is current are listed from the first calls they keep, of their
     * generation alone; a day with an hour written since is listed from its hours until built again.
     */
    @Test
    void wholeDaysAreListedFromTheFirstCallsTheyKeep() {
        store.write(List.of(CallEvents.call("c1", HOUR * HOUR_MS + 10, 10_000_000, "agent-1"),
                CallEvents.call("c2", (HOUR + 1) * HOUR_MS + 10, 20_000_000, "agent-2")));
        store.recomputeRollups();
        long generation = http.query("SELECT argMax(generation, version) AS generation FROM " + ClickHouseDays.DAYS
                + " WHERE day = " + DAY).get(0).longValue("generation");
        insertKept(generation + 1, "c9");
        assertThat(callCosts().calls()).as("rows of another generation are not read").extracting(CallCost::callId)
                .containsExactly("c2", "c1");
        insertKept(generation, "c9");
        assertThat(callCosts().calls()).as("the day's rows are read").extracting(CallCost::callId)
                .containsExactly("c9", "c2", "c1");
        assertThat(listed(250)).as("a list longer than a day keeps reads the hours").extracting(CallCost::callId)
                .containsExactly("c2", "c1");
        insertKeptSum(generation + 1);
        assertThat(callCosts().groups()).as("sums of another generation are not read")
                .extracting(CallCostSummary.Group::agentId).containsExactlyInAnyOrder("agent-1", "agent-2");
        insertKeptSum(generation);
        assertThat(callCosts().groups()).as("the day's sums are read")
                .extracting(CallCostSummary.Group::agentId).containsExactlyInAnyOrder("agent-1", "agent-2", "agent-9");

        store.write(List.of(CallEvents.call("c3", (HOUR + 2) * HOUR_MS + 10, 5_000_000, "agent-1")));
        assertThat(callCosts().calls()).as("an hour written since: the day is read by the hour")
                .extracting(CallCost::callId).containsExactly("c2", "c1", "c3");
        store.recomputeRollups();
        assertThat(callCosts().calls()).as("built again").extracting(CallCost::callId)
                .containsExactly("c2", "c1", "c3");
        assertThat(http.query("SELECT count() AS n FROM " + ClickHouseCallCostDays.TABLE + " WHERE generation = "
                + "(SELECT argMax(generation, version) FROM " + ClickHouseDays.DAYS + " WHERE day = " + DAY + ")")
                .get(0).longValue("n")).as("each call in each of the four lists").isEqualTo(12);
    }

    /** 600 calls {@code spacingMs} apart from the start of {@link #HOUR}, one in {@code reportedOneIn} with a reported total. */
    private static List<Event> manyCalls(long spacingMs, int reportedOneIn) {
        SplittableRandom random = new SplittableRandom(7);
        String[] prefixes = {"\uFFFF", "\uD83D\uDE00"};
        List<Event> calls = new ArrayList<>();
        for (int index = 0; index < 600; index++) {
            int agent = random.nextInt(4);
            Event call = CallEvents.call(prefixes[random.nextInt(prefixes.length)] + index, HOUR * HOUR_MS + index * spacingMs,
                    100_000_000L * (1 + random.nextInt(6)), agent == 3 ? null : "agent-" + agent);
            call.reportedTotalCostNanos = random.nextInt(reportedOneIn) == 0 ? random.nextLong(1_000_000_000L) : null;
            calls.add(call);
        }
        return calls;
    }

    /** Every list of {@link #DAY} (by agent and not, every order, within and beyond what hours and days keep) as DuckDB's raw rows. */
    private void assertListsAnswerAsDuckDb(List<Event> calls) {
        try (DuckDbDatabase database = DuckDbDatabase.inMemory();
             DuckDbEventStore duckDb = new DuckDbEventStore(database)) {
            store.write(calls);
            duckDb.write(calls);
            store.recomputeRollups();
            ReportStore raw = duckDb.withoutRollups();
            for (String agent : new String[] {null, "agent-1"}) {
                for (CallCostOrder order : CallCostOrder.values()) {
                    for (int limit : new int[] {7, 150, ClickHouseCallCostDays.KEPT, 250}) {
                        CallCostQuery query = new CallCostQuery("t1", DAY * DAY_MS, (DAY + 1) * DAY_MS, agent, limit,
                                order);
                        CallCostSummary asked = store.session("t1", query.fromMs(), query.toMs()).callCosts(query);
                        CallCostSummary expected = raw.callCosts(query);
                        assertThat(asked.calls()).as(query.toString()).isEqualTo(expected.calls());
                        assertThat(asked.mismatched()).as(query.toString()).isEqualTo(expected.mismatched());
                        assertThat(asked.groups()).as(query.toString()).hasSameElementsAs(expected.groups());
                    }
                }
            }
        }
    }

    private CallCostSummary callCosts() {
        return callCosts(10);
    }

    private CallCostSummary callCosts(int limit) {
        CallCostQuery query = new CallCostQuery("t1", DAY * DAY_MS, (DAY + 1) * DAY_MS, null, limit,
                CallCostOrder.COST_DESC);
        return store.session("t1", query.fromMs(), query.toMs()).callCosts(query);
    }

    private List<CallCost> listed(int limit) {
        return callCosts(limit).calls();
    }

    private CallCostSummary hourCosts() {
        CallCostQuery query = new CallCostQuery("t1", HOUR * HOUR_MS, (HOUR + 1) * HOUR_MS, null, 10,
                CallCostOrder.COST_DESC);
        return store.session("t1", query.fromMs(), query.toMs()).callCosts(query);
    }

    /** A call of agent-1 as a day's lists keep it: first of the day, over every agent. */
    private void insertKept(long generation, String callId) {
        http.insert(ClickHouseCallCostDays.TABLE, callRow("day", DAY, generation, callId, 99_000_000)
                .append(ClickHouseCallCostDays.DayList.COST_DESCENDING.code()).append(",\"agent_key\":\"\"}\n")
                .toString());
    }

    /** A call of agent-1's row under a slot (hour or day) and generation, up to its {@code list} value. */
    private static StringBuilder callRow(String slot, long at, long generation, String callId, long telephonyNanos) {
        StringBuilder row = new StringBuilder("{\"tenant_id\":\"t1\",\"" + slot + "\":" + at + ",\"generation\":"
                + generation + ",\"call_hash\":1,\"call_key\":\"" + callId + "\",\"agent_id\":\"agent-1\","
                + "\"provider\":null,\"status\":\"completed\",\"time_ms\":" + (HOUR * HOUR_MS + 5)
                + ",\"duration_ms\":null,\"reported_total_cost_nanos\":null");
        for (CostComponent component : CostComponent.values()) {
            row.append(",\"").append(component.column()).append("\":")
                    .append(component == CostComponent.TELEPHONY ? telephonyNanos : 0);
        }
        return row.append(",\"unpriced_events\":0,\"total_nanos\":").append(telephonyNanos).append(",\"list\":");
    }

    private static long totalOf(CallCostSummary summary, String callId) {
        return summary.calls().stream().filter(call -> call.callId().equals(callId)).findFirst().orElseThrow()
                .components().total();
    }

    /** A call of agent-1 as a recomputation would store it: in the list of every call and first in its hour. */
    private void insertCall(long generation, String callId, long telephonyNanos) {
        for (ClickHouseCallCostRanks.CallList list : List.of(ClickHouseCallCostRanks.CallList.EVERY,
                ClickHouseCallCostRanks.CallList.FIRST)) {
            StringBuilder row = callRow("hour", HOUR, generation, callId, telephonyNanos)
                    .append(list.code()).append(",\"agent_key\":\"")
                    .append(list == ClickHouseCallCostRanks.CallList.EVERY ? "agent-1" : "")
                    .append("\",\"rank\":1,\"rank_ascending\":1}\n");
            http.insert(ClickHouseCallCostRows.TABLE, row.toString());
        }
    }

    /** A day's sums of agent-9, as a day's rows keep them. */
    private void insertKeptSum(long generation) {
        StringBuilder row = new StringBuilder("{\"tenant_id\":\"t1\",\"day\":" + DAY + ",\"generation\":" + generation
                + ",\"agent_id\":\"agent-9\"");
        for (String measure : CallCostReads.GROUP_COLUMNS.subList(2, CallCostReads.GROUP_COLUMNS.size())) {
            row.append(",\"").append(measure).append("\":").append(measure.equals("call_count") ? 1 : 0);
        }
        http.insert(ClickHouseCallCostDays.SUMS, row.append("}\n").toString());
    }

    private void insertHourSum(long generation, long telephonyNanos) {
        StringBuilder row = new StringBuilder("{\"tenant_id\":\"t1\",\"hour\":" + HOUR + ",\"generation\":" + generation
                + ",\"agent_id\":\"agent-1\"");
        for (String measure : CallCostReads.GROUP_COLUMNS.subList(2, CallCostReads.GROUP_COLUMNS.size())) {
            long value = measure.equals("call_count") ? 1 : measure.equals("telephony_sum") ? telephonyNanos : 0;
            row.append(",\"").append(measure).append("\":").append(value);
        }
        http.insert(ClickHouseCallCostRows.HOUR_SUMS, row.append("}\n").toString());
    }
}
