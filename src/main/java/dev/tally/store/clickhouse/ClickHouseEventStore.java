package dev.tally.store.clickhouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.event.Event;
import dev.tally.ingest.EventKey;
import dev.tally.ingest.StoredState;
import dev.tally.ingest.WriteOutcome;
import dev.tally.ingest.WritePlan;
import dev.tally.ingest.WritePlanner;
import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.store.EventStore;
import dev.tally.store.ReportStore;
import dev.tally.store.rollup.MemberUsageRollup;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.sql.EventColumn;
import dev.tally.store.sql.EventColumns;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlDialect;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scale-out store: events and calls in ClickHouse, shared by any number of stateless Tally
 * instances.
 *
 * <p>Exactly once without unique constraints, in three layers:
 * <ol>
 * <li>Before appending, the batch's (tenant, id) pairs are looked up in {@code event_ids}, keyed
 *     by the id's hash, so a lookup reads the same few granules at 100M events as at 1M; those
 *     found are answered {@code duplicate} and not written. This catches every retry of an
 *     acknowledged batch and every retry after a crash between the write and the answer. Ids are
 *     recorded after their events, so a crash between the two lets the retry through to the next
 *     layer rather than turning it away.</li>
 * <li>What slips through (two instances writing the same new event at the same moment, a crash
 *     between an event and its id, or a
 *     batch that failed half-written on one shard and is retried) is written twice, into a
 *     ReplacingMergeTree whose key ends in the event id, on the tenant's one shard: merges
 *     collapse the copies.</li>
 * <li>Until they are merged, every read says {@code FINAL} ({@link #table}), so reports never
 *     count a copy.</li>
 * </ol>
 * A write returns only after ClickHouse has the rows ({@code insert_distributed_sync}); one
 * batch is one insert per table, atomic per shard. A batch that fails half-way is answered with an
 * error and its retry completes it (the part that landed then answers {@code duplicate}).
 */
public final class ClickHouseEventStore implements EventStore {
    /** Test hook: with this system property set, the process halts right after a write, before answering. */
    public static final String HALT_AFTER_WRITE_PROPERTY = "tally.test.halt-after-store-write";
    private static final long RECOMPUTE_EVERY_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseEventStore.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ClickHouseStoredState storedState = new ClickHouseStoredState();
    private final ClickHouseHttp http;
    private final ClickHouseConfig config;
    private final SqlDialect dialect = new ClickHouseDialect();
    private final ClickHouseRollups rollups;
    private final ScheduledExecutorService recomputation;

    ClickHouseEventStore(ClickHouseHttp http, ClickHouseConfig config) {
        this.http = http;
        this.config = config;
        this.rollups = new ClickHouseRollups(http, dialect, System::currentTimeMillis);
        this.recomputation = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "clickhouse-rollups");
            thread.setDaemon(true);
            return thread;
        });
        recomputation.scheduleWithFixedDelay(this::recomputeQuietly, RECOMPUTE_EVERY_SECONDS, RECOMPUTE_EVERY_SECONDS,
                TimeUnit.SECONDS);
    }

    private void recomputeQuietly() {
        try {
            int hours = rollups.recomputeDue();
            if (hours > 0) {
                LOG.atDebug().addKeyValue("hours", hours).log("rollups recomputed");
            }
        } catch (RuntimeException failure) {
            // the hours stay marked: reads derive them from raw rows and the next round tries again
            LOG.atWarn().setCause(failure).log("rollup recomputation failed; retrying in {} s", RECOMPUTE_EVERY_SECONDS);
        }
    }

    /**
     * Recomputes the rollups of every marked hour now, the open hour too, without waiting for
     * marks to settle: for tests and bulk loads, once no write is in flight. Returns the hours recorded.
     */
    public int recomputeRollups() {
        return rollups.recomputeAll();
    }

    @Override
    public List<WriteOutcome> write(List<Event> events) {
        WritePlan<StoredCall> plan = WritePlanner.plan(events, storedState);
        List<Event> newEvents = plan.newEvents();
        List<CallState> callStates = plan.calls().stream().map(call -> new CallState(call.state(),
                Versions.after(call.replaced() == null ? 0 : call.replaced().version),
                call.replaced() == null ? null : call.replaced().timeMs)).toList();
        // Every row is rendered before anything is sent: a malformed event fails the batch with nothing written.
        StringBuilder eventRows = new StringBuilder();
        newEvents.forEach(event -> eventRows.append(row(event, null)).append('\n'));
        StringBuilder callRows = new StringBuilder();
        callStates.forEach(call -> callRows.append(row(call.event, call.version)).append('\n'));
        // every event's hour, duplicates too: a retry answered duplicate after its first try's rows landed
        // late (a timed-out insert the server finished) marks the hour those rows are in
        Set<ClickHouseRollups.TenantHour> touched = new LinkedHashSet<>();
        events.forEach(event -> touched.add(ClickHouseRollups.TenantHour.of(event.tenantId, event.timeMs)));
        for (CallState call : callStates) {
            touched.add(ClickHouseRollups.TenantHour.of(call.event.tenantId, call.event.timeMs));
            if (call.replacedTimeMs != null) {
                // a later state may carry another start time: the hour it leaves changes too
                touched.add(ClickHouseRollups.TenantHour.of(call.event.tenantId, call.replacedTimeMs));
            }
        }
        // marked before the rows go in, so no hour holds rows its marks do not announce
        long started = System.nanoTime();
        rollups.mark(touched, false);
        if (!newEvents.isEmpty()) {
            http.insert("events", eventRows.toString());
            // after the events: an id recorded for an event that never landed would turn its retry away
            http.insert(ClickHouseSchema.EVENT_IDS, idRows(newEvents));
        }
        if (!callStates.isEmpty()) {
            http.insert("calls", callRows.toString());
        }
        if (System.nanoTime() - started > TimeUnit.MILLISECONDS.toNanos(ClickHouseRollups.WRITE_BOUND_MS)) {
            // slower than a recomputation assumes: mark again, so any hour recomputed meanwhile is read raw
            rollups.mark(touched, true);
        }
        if (Boolean.getBoolean(HALT_AFTER_WRITE_PROPERTY)) {
            Runtime.getRuntime().halt(137);
        }
        return plan.outcomes();
    }

    /** A call's state to write, with a version above the one it replaces. */
    private record CallState(Event event, long version, Long replacedTimeMs) {
    }

    private record StoredCall(String status, long version, long timeMs) {
    }

    /**
     * Answers the planner with keyed lookups, one query each for the whole batch, its keys sent as
     * external data: by id hash first, so ClickHouse reads only the granules that can hold the
     * batch's ids. No filter in memory: other instances write too.
     */
    private final class ClickHouseStoredState implements StoredState<StoredCall> {
        private static final String KEYS = "batch_keys";
        private static final String KEY_STRUCTURE = "tenant_id String, id_hash Int64, id String";

        @Override
        public boolean mayHoldEvent(long fingerprint) {
            return true;
        }

        @Override
        public Set<EventKey> storedEvents(Map<String, Set<String>> idsByTenant) {
            Set<EventKey> stored = new HashSet<>();
            String select = "SELECT tenant_id, id FROM " + ClickHouseSchema.EVENT_IDS
                    + " WHERE tenant_id IN (SELECT tenant_id FROM " + KEYS + ") AND id_hash IN (SELECT id_hash FROM "
                    + KEYS + ") AND (tenant_id, id) IN (SELECT tenant_id, id FROM " + KEYS + ")";
            for (Row row : http.query(select, KEYS, KEY_STRUCTURE, keys(idsByTenant))) {
                stored.add(new EventKey(row.string("tenant_id"), row.string("id")));
            }
            return stored;
        }

        @Override
        public boolean mayHoldCall(long fingerprint) {
            return true;
        }

        @Override
        public Map<EventKey, StoredCall> storedCalls(Map<String, Set<String>> idsByTenant) {
            Map<EventKey, StoredCall> stored = new HashMap<>();
            String select = "SELECT tenant_id, id, status, version, time_ms FROM calls FINAL"
                    + " WHERE tenant_id IN (SELECT tenant_id FROM " + KEYS + ") AND id IN (SELECT id FROM " + KEYS
                    + ") AND (tenant_id, id) IN (SELECT tenant_id, id FROM " + KEYS + ")";
            for (Row row : http.query(select, KEYS, KEY_STRUCTURE, keys(idsByTenant))) {
                stored.put(new EventKey(row.string("tenant_id"), row.string("id")),
                        new StoredCall(row.string("status"), row.longValue("version"), row.longValue("time_ms")));
            }
            return stored;
        }

        private static String keys(Map<String, Set<String>> idsByTenant) {
            StringBuilder rows = new StringBuilder();
            idsByTenant.forEach((tenant, ids) -> ids.forEach(id -> rows.append(idRow(tenant, id)).append('\n')));
            return rows.toString();
        }

        @Override
        public String status(StoredCall call) {
            return call.status;
        }
    }

    private static String idRows(List<Event> events) {
        StringBuilder rows = new StringBuilder();
        events.forEach(event -> rows.append(idRow(event.tenantId, event.id)).append('\n'));
        return rows.toString();
    }

    /** A row of {@code event_ids}, and of the keys a lookup sends. */
    private static String idRow(String tenantId, String id) {
        return MAPPER.createObjectNode().put("tenant_id", tenantId).put("id_hash", IdFingerprint.of(tenantId, id))
                .put("id", id).toString();
    }

    /**
     * One JSONEachRow line with every column; calls also carry their version. Public for bulk
     * loads, which insert rows as this store would and let {@link ClickHouseStore#open} record
     * their ids and mark their hours.
     */
    public static String row(Event event, Long version) {
        ObjectNode row = MAPPER.createObjectNode();
        for (EventColumn column : EventColumns.ALL) {
            Object value = column.read(event);
            if (value == null) {
                if (!column.nullable()) {
                    throw new IllegalArgumentException("event " + event.id + " has no " + column.name());
                }
                row.putNull(column.name());
                continue;
            }
            switch (column.kind()) {
                case STRING -> row.put(column.name(), (String) value);
                case LONG -> row.put(column.name(), ((Number) value).longValue());
                case INTEGER -> row.put(column.name(), ((Number) value).intValue());
            }
        }
        if (version != null) {
            row.put("version", version);
        }
        try {
            return MAPPER.writeValueAsString(row);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Every insert stands alone on ClickHouse; a server that answers a query takes inserts too. */
    @Override
    public void probeWrite() {
        http.query("SELECT 1");
    }

    @Override
    public List<Row> query(Sql sql) {
        return http.query(ClickHouseLiterals.bind(sql));
    }

    /**
     * {@code FINAL}: rows replaced (a call's newer state) or replayed (a batch written twice by two
     * instances racing) collapse to one before any aggregate sees them. Rendered here, where the
     * table name is, rather than patched into finished SQL.
     */
    @Override
    public String table(RawTable table) {
        return table.tableName() + " FINAL";
    }

    /** Recomputed hours from the rollup tables, the rest from the raw rows ({@link ClickHouseRollups}). */
    @Override
    public Sql rollup(RollupRead read) {
        return rollups.read(read, table(read.table().source()));
    }

    @Override
    public ReportStore session(String tenantId, long fromMs, long toMs) {
        if (tenantId == null) {
            return this;
        }
        ClickHouseRollups.Session session = rollups.new Session(tenantId, fromMs, toMs);
        ClickHouseEventStore store = this;
        return new ReportStore() {
            @Override
            public List<Row> query(Sql sql) {
                return store.query(sql);
            }

            @Override
            public SqlDialect dialect() {
                return store.dialect();
            }

            @Override
            public String table(RawTable table) {
                return store.table(table);
            }

            @Override
            public Sql rollup(RollupRead read) {
                return rollups.read(read, store.table(read.table().source()), session);
            }

            @Override
            public MemberUsageRollup.Totals memberUsage(String tenant, String memberId, long firstDay, long lastDay) {
                return store.memberUsage(tenant, memberId, firstDay, lastDay);
            }
        };
    }

    @Override
    public MemberUsageRollup.Totals memberUsage(String tenantId, String memberId, long firstDay, long lastDay) {
        return MemberUsageRollup.totals(query(MemberUsageRollup.readRaw(table(RawTable.EVENTS), tenantId, memberId,
                firstDay, lastDay)).get(0));
    }

    @Override
    public SqlDialect dialect() {
        return dialect;
    }

    @Override
    public String name() {
        return "clickhouse";
    }

    String location() {
        return config.describe();
    }

    @Override
    public void close() {
        // HTTP holds no connection that needs closing; the writer has finished before this is called.
        recomputation.shutdownNow();
    }
}
