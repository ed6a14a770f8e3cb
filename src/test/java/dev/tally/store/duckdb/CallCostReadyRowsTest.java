package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bench.EventGenerator;
import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.store.ReportStore;
import dev.tally.store.callcost.CallCostOrder;
import dev.tally.store.callcost.CallCostQuery;
import dev.tally.store.callcost.CallCostSummary;
import dev.tally.store.rollup.RollupFixture;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * DuckDB answers the call-cost reports from rows it keeps ready (rebuilt when the per-call costs are
 * folded, refreshed call by call when the writer is idle) and, for the calls a write touched since,
 * from their current rows. Whatever was folded
 * when, the answers equal those derived from the raw rows alone: after every batch, before any
 * fold, right after one, and with writes since (new calls, parts of calls stored earlier and of
 * calls that arrive later, final states replacing calls in progress, revisions moving calls to
 * another day and agent).
 */
class CallCostReadyRowsTest {
    private static final int DAYS = 20;

    @Test
    void readyRowsAndTouchedCallsAnswerAsTheRawRowsDo() {
        List<List<Event>> batches = batches();
        try (DuckDbDatabase database = DuckDbDatabase.inMemory()) {
            DuckDbEventStore store = new DuckDbEventStore(database);
            ReportStore raw = store.withoutRollups();
            int compared = 0;
            for (int index = 0; index < batches.size(); index++) {
                store.write(batches.get(index));
                if (index % 3 == 1) {
                    store.compactRollups();
                } else if (index % 3 == 2) {
                    store.refreshCallCostRows();
                    assertThat(store.query(new dev.tally.store.sql.Sql("SELECT count(*) AS touched FROM "
                            + dev.tally.store.callcost.CallCostDeltas.CHANGED_TABLE, List.of())).get(0)
                            .longValue("touched")).as("calls left touched after a refresh").isZero();
                }
                compared += compare(store, raw, index);
            }
            assertThat(compared).isGreaterThan(100);
            assertThat(store.checkRollups(false).total()).as("ready rows against a rebuild").isZero();
            store.close();
        }
    }

    /** Every tenant, the whole window and a week of it, with and without an agent, in every order. */
    private static int compare(ReportStore store, ReportStore raw, int batch) {
        int compared = 0;
        long end = RollupFixture.END_MS;
        for (String tenant : EventGenerator.TENANTS) {
            for (long from : new long[] {end - DAYS * 86_400_000L, end - 7 * 86_400_000L}) {
                for (String agent : new String[] {null, "agent-2"}) {
                    for (CallCostOrder order : CallCostOrder.values()) {
                        CallCostQuery query = new CallCostQuery(tenant, from, end, agent, 15, order);
                        CallCostSummary ready = store.callCosts(query);
                        CallCostSummary derived = raw.callCosts(query);
                        assertThat(sorted(ready.groups())).as("batch " + batch + " " + query)
                                .isEqualTo(sorted(derived.groups()));
                        assertThat(ready.calls()).as("batch " + batch + " " + query).isEqualTo(derived.calls());
                        assertThat(ready.mismatched()).as("batch " + batch + " " + query)
                                .isEqualTo(derived.mismatched());
                        compared++;
                    }
                }
            }
            String someCall = raw.callCosts(new CallCostQuery(tenant, end - DAYS * 86_400_000L, end, null, 1,
                    CallCostOrder.COST_DESC)).calls().stream().findFirst().map(call -> call.callId()).orElse("none");
            assertThat(store.callCost(tenant, someCall)).isEqualTo(raw.callCost(tenant, someCall));
        }
        return compared;
    }

    private static List<CallCostSummary.Group> sorted(List<CallCostSummary.Group> groups) {
        List<CallCostSummary.Group> sorted = new ArrayList<>(groups);
        sorted.sort(Comparator.comparingLong(CallCostSummary.Group::epochDay)
                .thenComparing(group -> String.valueOf(group.agentId())));
        return sorted;
    }

    /**
     * Later revisions of a few calls stored by earlier batches: another agent, a day or two
     * earlier or later, another reported total. Their ready rows leave one day's and agent's sums
     * for another's.
     */
    private static List<Event> moved(SplittableRandom random, List<Event> batch, Map<String, Event> stored) {
        List<Event> revisions = new ArrayList<>();
        List<Event> candidates = new ArrayList<>(stored.values());
        java.util.Set<String> inBatch = new java.util.HashSet<>();
        batch.forEach(event -> inBatch.add(event.tenantId + "/" + event.id));
        for (int count = 0; count < 4 && !candidates.isEmpty(); count++) {
            Event revision = candidates.get(random.nextInt(candidates.size())).copy();
            if (!inBatch.add(revision.tenantId + "/" + revision.id)) {
                continue;
            }
            revision.revision++;
            revision.agentId = "agent-" + random.nextInt(EventGenerator.AGENTS);
            long shift = (random.nextInt(5) - 2) * 86_400_000L;
            revision.timeMs = Math.max(RollupFixture.END_MS - DAYS * 86_400_000L,
                    Math.min(RollupFixture.END_MS - 1, revision.timeMs + shift));
            if (revision.endedMs != null && revision.durationMs != null) {
                revision.endedMs = revision.timeMs + revision.durationMs;
            }
            revision.reportedTotalCostNanos = random.nextBoolean() ? null : random.nextLong(5_000_000_000L);
            revisions.add(revision);
        }
        return revisions;
    }

    /**
     * Generated usage whose transcriptions, syntheses and LLM requests name real calls of their
     * tenant: mostly one stored before, one in five a call of the next batch; a call's final state
     * held back to the next batch now and then; costs and unpriced events throughout.
     */
    private static List<List<Event>> batches() {
        EventGenerator generator = new EventGenerator(11, 12_000, 1_000, RollupFixture.END_MS, DAYS);
        List<List<Event>> batches = new ArrayList<>();
        for (int index = 0; index < generator.batches(); index++) {
            batches.add(new ArrayList<>(generator.batch(index)));
        }
        SplittableRandom random = new SplittableRandom(5);
        Map<String, List<String>> seen = new HashMap<>();
        Map<String, Event> stored = new java.util.LinkedHashMap<>();
        for (int index = 0; index < batches.size(); index++) {
            Map<String, List<String>> next = new HashMap<>();
            if (index + 1 < batches.size()) {
                batches.get(index + 1).stream().filter(event -> event.type == EventType.CALL).forEach(call ->
                        next.computeIfAbsent(call.tenantId, any -> new ArrayList<>()).add(call.id));
            }
            List<Event> held = new ArrayList<>();
            for (Event event : batches.get(index)) {
                if (event.type == EventType.CALL) {
                    seen.computeIfAbsent(event.tenantId, any -> new ArrayList<>()).add(event.id);
                    event.reportedTotalCostNanos = random.nextInt(4) == 0 ? random.nextLong(5_000_000_000L) : null;
                    if (event.isFinalCall() && random.nextInt(5) == 0) {
                        held.add(event.copy());
                        event.status = "in_progress";
                        event.endedMs = null;
                        event.durationMs = null;
                    }
                } else if (event.callId != null) {
                    List<String> later = next.getOrDefault(event.tenantId, List.of());
                    List<String> earlier = seen.getOrDefault(event.tenantId, List.of());
                    event.callId = !later.isEmpty() && (earlier.isEmpty() || random.nextInt(5) == 0)
                            ? later.get(random.nextInt(later.size()))
                            : earlier.isEmpty() ? "never-sent" : earlier.get(random.nextInt(earlier.size()));
                    event.costNanos = random.nextLong(40_000_000L);
                    event.costSource = random.nextInt(9) == 0 ? CostSource.UNPRICED : CostSource.REPORTED;
                    if (event.costSource == CostSource.UNPRICED) {
                        event.costNanos = 0;
                    }
                }
            }
            if (index + 1 < batches.size()) {
                batches.get(index + 1).addAll(0, held);
            }
            batches.get(index).addAll(moved(random, batches.get(index), stored));
            batches.get(index).stream().filter(event -> event.type == EventType.CALL)
                    .forEach(call -> stored.put(call.tenantId + "/" + call.id, call));
        }
        return batches;
    }
}
