package dev.tally.store.callcost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bench.EventGenerator;
import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.store.ReportStore;
import dev.tally.store.rollup.RollupFixture;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The batches every store's call-cost tests write: calls, their parts before and after them, and revisions. */
public final class CallCostBatches {
    private CallCostBatches() {
    }

    /** The store to ask for one tenant's range: a session of it, or the store itself. */
    public interface SessionOf {
        ReportStore of(String tenantId, long fromMs, long toMs);
    }

    /**
     * Every tenant's call costs over one range (the last {@code days} days, the last week or the last
     * day, taken in turn by batch, so that over six batches each range is asked both after a batch
     * whose hours were recomputed and after one whose were not), with and without an agent, in every
     * order, and one call's cost, asked of {@code actual} and of {@code expected}: the same answers.
     * Returns how many lists were compared.
     */
    public static int assertSameCallCosts(SessionOf actual, ReportStore expected, int batch, int days) {
        int compared = 0;
        long end = RollupFixture.END_MS;
        // a day: every first call of the list is of that day, as many as the list is long
        long[] ranges = {end - days * 86_400_000L, end - 7 * 86_400_000L, end - 86_400_000L};
        long from = ranges[batch % ranges.length];
        for (String tenant : EventGenerator.TENANTS) {
            for (String agent : new String[] {null, "agent-2"}) {
                for (CallCostOrder order : CallCostOrder.values()) {
                    CallCostQuery query = new CallCostQuery(tenant, from, end, agent, 15, order);
                    CallCostSummary asked = actual.of(tenant, from, end).callCosts(query);
                    CallCostSummary derived = expected.callCosts(query);
                    String as = "batch " + batch + " " + query;
                    assertThat(sorted(asked.groups())).as(as).isEqualTo(sorted(derived.groups()));
                    assertThat(asked.calls()).as(as).isEqualTo(derived.calls());
                    assertThat(asked.mismatched()).as(as).isEqualTo(derived.mismatched());
                    compared++;
                }
            }
            String someCall = expected.callCosts(new CallCostQuery(tenant, end - days * 86_400_000L, end, null, 1,
                    CallCostOrder.COST_DESC)).calls().stream().findFirst().map(call -> call.callId()).orElse("none");
            assertThat(actual.of(tenant, 0, 0).callCost(tenant, someCall)).as("batch " + batch + " call " + someCall)
                    .isEqualTo(expected.callCost(tenant, someCall));
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
     * Later revisions of a few parts stored by earlier batches: another cost, now and then unpriced,
     * sometimes at another time a few hours away (the part leaves one hour for another).
     */
    private static List<Event> corrected(SplittableRandom random, List<Event> batch, Map<String, Event> storedParts) {
        return revised(random, batch, storedParts, revision -> {
            revision.costSource = random.nextInt(5) == 0 ? CostSource.UNPRICED : CostSource.REPORTED;
            revision.costNanos = revision.costSource == CostSource.UNPRICED ? 0 : random.nextLong(90_000_000L);
            if (random.nextInt(3) == 0) {
                long shift = (random.nextInt(9) - 4) * 3_600_000L;
                revision.timeMs = Math.min(RollupFixture.END_MS - 1, revision.timeMs + shift);
                if (revision.endedMs != null) {
                    revision.endedMs = Math.max(revision.timeMs, revision.endedMs + shift);
                }
            }
        });
    }

    /**
     * Later revisions of a few calls stored by earlier batches: another agent, a day or two
     * earlier or later, another reported total. Their ready rows leave one day's and agent's sums
     * for another's.
     */
    private static List<Event> moved(SplittableRandom random, List<Event> batch, Map<String, Event> stored, int days) {
        return revised(random, batch, stored, revision -> {
            revision.agentId = "agent-" + random.nextInt(EventGenerator.AGENTS);
            long shift = (random.nextInt(5) - 2) * 86_400_000L;
            revision.timeMs = Math.max(RollupFixture.END_MS - days * 86_400_000L,
                    Math.min(RollupFixture.END_MS - 1, revision.timeMs + shift));
            if (revision.endedMs != null && revision.durationMs != null) {
                revision.endedMs = revision.timeMs + revision.durationMs;
            }
            revision.reportedTotalCostNanos = random.nextBoolean() ? null : random.nextLong(5_000_000_000L);
        });
    }

    /** Up to four stored events, each copied under the next revision and changed, none already in the batch. */
    private static List<Event> revised(SplittableRandom random, List<Event> batch, Map<String, Event> stored,
                                       java.util.function.Consumer<Event> change) {
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
            change.accept(revision);
            revisions.add(revision);
        }
        return revisions;
    }

    /**
     * Generated usage whose transcriptions, syntheses and LLM requests name real calls of their
     * tenant: mostly one stored before, one in five a call of the next batch; a call's final state
     * held back to the next batch now and then; costs and unpriced events throughout.
     */
    public static List<List<Event>> batches(int days) {
        EventGenerator generator = new EventGenerator(11, 12_000, 1_000, RollupFixture.END_MS, days);
        List<List<Event>> batches = new ArrayList<>();
        for (int index = 0; index < generator.batches(); index++) {
            batches.add(new ArrayList<>(generator.batch(index)));
        }
        SplittableRandom random = new SplittableRandom(5);
        Map<String, List<String>> seen = new HashMap<>();
        Map<String, Event> stored = new java.util.LinkedHashMap<>();
        Map<String, Event> storedParts = new java.util.LinkedHashMap<>();
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
            batches.get(index).addAll(moved(random, batches.get(index), stored, days));
            batches.get(index).addAll(corrected(random, batches.get(index), storedParts));
            batches.get(index).stream().filter(event -> event.type == EventType.CALL)
                    .forEach(call -> stored.put(call.tenantId + "/" + call.id, call));
            batches.get(index).stream().filter(event -> event.type != EventType.CALL && event.callId != null)
                    .forEach(part -> storedParts.put(part.tenantId + "/" + part.id, part));
        }
        return batches;
    }
}
