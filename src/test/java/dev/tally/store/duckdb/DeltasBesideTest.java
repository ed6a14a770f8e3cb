package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.bench.EventGenerator;
import dev.tally.event.Event;
import dev.tally.store.EventStoreContract;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A write's deltas counted beside the Appender are the deltas counted on the writer thread, failures included. */
class DeltasBesideTest {
    @Test
    void deltasCountedBesideAreTheDeltasCountedInline() {
        EventGenerator generator = new EventGenerator(11, 6_000, 6_000, EventStoreContract.TIME_MS, 3);
        List<Event> events = generator.batch(0);
        assertThat(events).hasSizeGreaterThan(DeltasBeside.MINIMUM_EVENTS);
        Rollups.Deltas inline = new Rollups.Deltas();
        // a removal first, as a write's replaced rows are taken back before its new rows are counted
        inline.remove(events.get(0));
        events.forEach(inline::add);
        Rollups.Deltas beside = new Rollups.Deltas();
        beside.remove(events.get(0));
        try (DeltasBeside counter = new DeltasBeside()) {
            DeltasBeside.Counting counting = counter.count(events, beside);
            counting.await();
        }
        int compared = 0;
        for (RollupTable table : Rollups.ALL) {
            assertThat(rows(beside.rows(table))).as(table.name()).isEqualTo(rows(inline.rows(table)));
            compared += inline.rows(table).size();
        }
        assertThat(rows(beside.callCosts().rows())).isEqualTo(rows(inline.callCosts().rows()));
        assertThat(compared).as("delta rows compared").isGreaterThan(100);
    }

    @Test
    void aFailureWhileCountingBesideIsThrownByAwait() {
        List<Event> events = new ArrayList<>();
        for (int index = 0; index < DeltasBeside.MINIMUM_EVENTS; index++) {
            Event event = RevisedExtremesTest.tokens("e" + index, Long.MAX_VALUE / 2, 0);
            events.add(event);
        }
        try (DeltasBeside counter = new DeltasBeside()) {
            DeltasBeside.Counting counting = counter.count(events, new Rollups.Deltas());
            assertThatThrownBy(counting::await).isInstanceOf(ArithmeticException.class);
        }
    }

    private static List<String> rows(List<Object[]> rows) {
        List<String> text = new ArrayList<>();
        rows.forEach(row -> text.add(Arrays.deepToString(row)));
        text.sort(null);
        return text;
    }
}
