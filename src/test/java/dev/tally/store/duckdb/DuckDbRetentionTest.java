package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bench.EventGenerator;
import dev.tally.store.callcost.CallCostOrder;
import dev.tally.store.callcost.CallCostQuery;
import dev.tally.store.callcost.CallCostSummary;
import dev.tally.store.rollup.RollupFixture;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Retention on the embedded store keeps every call's cost: calls a write touched and whose ready
 * rows are not yet made again (the writer was not idle since) are made before their raw rows go,
 * and neither a later fold, a refresh nor a check takes a call before the horizon away.
 */
class DuckDbRetentionTest {
    private static final int DAYS = 20;
    private static final long DAY_MS = 86_400_000L;

    @Test
    void callCostsStayWithTouchedCallsAndThroughFoldsAndChecks() {
        EventGenerator generator = new EventGenerator(3, 8_000, 1_000, RollupFixture.END_MS, DAYS);
        long horizon = (Math.floorDiv(RollupFixture.END_MS, DAY_MS) - DAYS / 2) * DAY_MS;
        try (DuckDbDatabase database = DuckDbDatabase.inMemory()) {
            DuckDbEventStore store = new DuckDbEventStore(database);
            for (int index = 0; index < generator.batches(); index++) {
                store.write(new ArrayList<>(generator.batch(index)));
                if (index == generator.batches() / 2) {
                    store.compactRollups();
                }
            }
            // corrections of the oldest calls: touched, their ready rows not made again, and before the horizon
            List<dev.tally.event.Event> corrections = new ArrayList<>();
            for (dev.tally.event.Event event : generator.batch(0)) {
                if (event.type == dev.tally.event.EventType.CALL && event.timeMs < horizon && corrections.size() < 20) {
                    dev.tally.event.Event correction = event.copy();
                    correction.revision = event.revision + 1;
                    correction.costNanos = event.costNanos + 1_000_000;
                    corrections.add(correction);
                }
            }
            assertThat(corrections).hasSize(20);
            store.write(corrections);
            assertThat(store.query(new dev.tally.store.sql.Sql("SELECT count(*) AS touched FROM "
                    + dev.tally.store.callcost.CallCostDeltas.CHANGED_TABLE, List.of())).get(0).longValue("touched"))
                    .as("calls touched since the ready rows were made").isPositive();
            Map<String, List<CallCostSummary.Group>> before = costs(store);
            for (String tenant : EventGenerator.TENANTS) {
                Map<String, Long> deleted = store.deleteRawBefore(tenant, horizon);
                assertThat(deleted.get("calls")).isPositive();
            }
            assertThat(costs(store)).isEqualTo(before);
            // a part after the horizon of a call before it: the call's ready row, made of deleted rows, stays
            dev.tally.event.Event part = new dev.tally.event.Event();
            part.tenantId = corrections.get(0).tenantId;
            part.id = "late-part";
            part.type = dev.tally.event.EventType.FEE;
            part.kind = "platform";
            part.timeMs = horizon + 60_000;
            part.callId = corrections.get(0).id;
            part.costNanos = 5_000_000;
            part.costSource = dev.tally.event.CostSource.REPORTED;
            store.write(List.of(part));
            store.refreshCallCostRows();
            assertThat(before(costs(store), horizon)).isEqualTo(before(before, horizon));
            store.compactRollups();
            assertThat(before(costs(store), horizon)).isEqualTo(before(before, horizon));
            assertThat(store.checkRollups(true).total()).isZero();
            assertThat(before(costs(store), horizon)).isEqualTo(before(before, horizon));
            store.close();
        }
    }

    /** The days before the horizon only. */
    private static Map<String, List<CallCostSummary.Group>> before(Map<String, List<CallCostSummary.Group>> costs,
                                                                  long horizon) {
        Map<String, List<CallCostSummary.Group>> kept = new LinkedHashMap<>();
        costs.forEach((tenant, groups) -> kept.put(tenant, groups.stream()
                .filter(group -> group.epochDay() * DAY_MS < horizon).toList()));
        return kept;
    }

    private static Map<String, List<CallCostSummary.Group>> costs(DuckDbEventStore store) {
        Map<String, List<CallCostSummary.Group>> costs = new LinkedHashMap<>();
        for (String tenant : EventGenerator.TENANTS) {
            CallCostSummary summary = store.callCosts(new CallCostQuery(tenant, RollupFixture.END_MS / DAY_MS * DAY_MS
                    - (DAYS + 1) * DAY_MS, (RollupFixture.END_MS / DAY_MS + 1) * DAY_MS, null, 0, CallCostOrder.COST_DESC));
            List<CallCostSummary.Group> groups = new ArrayList<>(summary.groups());
            groups.sort(Comparator.comparingLong(CallCostSummary.Group::epochDay)
                    .thenComparing(group -> String.valueOf(group.agentId())));
            costs.put(tenant, groups);
        }
        return costs;
    }
}
