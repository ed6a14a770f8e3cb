package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.event.Event;
import dev.tally.ingest.WriteOutcome;
import dev.tally.store.rollup.MemberUsageRollup;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlDialect;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The writer tells its store when no batch is waiting, after the writes it had: the moment to fold rollups. */
class BatchWriterIdleTest {

    /** A hand-written store that records the order of writes and idle moments. */
    private static final class RecordingStore implements EventStore {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch idled = new CountDownLatch(1);

        @Override
        public List<WriteOutcome> write(List<Event> events) {
            calls.add("write");
            return events.stream().map(event -> WriteOutcome.STORED).toList();
        }

        @Override
        public void idle() {
            calls.add("idle");
            idled.countDown();
        }

        @Override
        public List<Row> query(Sql sql) {
            throw new UnsupportedOperationException("not read in this test");
        }

        @Override
        public SqlDialect dialect() {
            throw new UnsupportedOperationException("not read in this test");
        }

        @Override
        public String rows(RawTable table) {
            throw new UnsupportedOperationException("not read in this test");
        }

        @Override
        public Sql rollup(RollupRead read) {
            throw new UnsupportedOperationException("not read in this test");
        }

        @Override
        public MemberUsageRollup.Totals memberUsage(String tenantId, String memberId, long firstDay, long lastDay) {
            throw new UnsupportedOperationException("not read in this test");
        }

        @Override
        public java.util.Optional<dev.tally.store.callcost.CallCostDetail> callCost(String tenantId, String callId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.tally.store.callcost.CallCostSummary callCosts(dev.tally.store.callcost.CallCostQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.Map<String, Long> deleteTenant(String tenantId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean exports(dev.tally.store.export.ExportFormat format) {
            return false;
        }

        @Override
        public void exportEvents(dev.tally.store.export.EventExport export, java.io.OutputStream out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void idleComesAfterTheWritesOfABurst() throws Exception {
        RecordingStore store = new RecordingStore();
        BatchWriter writer = new BatchWriter(store);
        try {
            Event event = new Event();
            event.id = "e1";
            assertThat(writer.write(List.of(event))).containsExactly(WriteOutcome.STORED);
            assertThat(store.idled.await(5, TimeUnit.SECONDS)).as("idle called").isTrue();
            assertThat(store.calls.get(0)).isEqualTo("write");
            assertThat(store.calls).contains("idle");
        } finally {
            writer.close();
        }
    }
}
