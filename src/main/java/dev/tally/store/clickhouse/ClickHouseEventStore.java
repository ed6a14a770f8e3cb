package dev.tally.store.clickhouse;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.ingest.EventKey;
import dev.tally.ingest.StoredState;
import dev.tally.ingest.WriteOutcome;
import dev.tally.ingest.WritePlan;
import dev.tally.ingest.WritePlanner;
import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.store.EventStore;
import dev.tally.store.ReportStore;
import dev.tally.store.callcost.CallCostDetail;
import dev.tally.store.callcost.CallCostQuery;
import dev.tally.store.callcost.CallCostReads;
import dev.tally.store.callcost.CallCostSummary;
import dev.tally.store.callcost.CostComponent;
import dev.tally.store.clickhouse.ClickHouseCallStates.StoredCall;
import dev.tally.store.clickhouse.ClickHouseEventIds.StoredId;
import dev.tally.store.export.EventExport;
import dev.tally.store.export.ExportFormat;
import dev.tally.store.rollup.MemberUsageRollup;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.sql.EventColumn;
import dev.tally.store.sql.EventColumns;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlDialect;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scale-out store: events and calls in ClickHouse, shared by any number of stateless Tally
 * instances.
 *
 * <p>Exactly once without unique constraints, in three layers:
 * <ol>
 * <li>Before appending, the batch's (tenant, id) pairs that this instance's set of known ids
 *     ({@link ClickHouseKnownIds}) may hold are looked up in {@code event_ids}, keyed by the id's
 *     hash; those found are answered {@code duplicate} and not written. New ids, most of a batch,
 *     cost no lookup, so ingest keeps its rate as the stored events grow. This catches every
 *     retry of an acknowledged batch and every retry after a crash between the write and the
 *     answer, on this instance or another. Ids are recorded after their events, so a crash
 *     between the two lets the retry through to the next layer rather than turning it away.</li>
 * <li>What slips through (two instances writing the same new event at the same moment, a crash
 *     between an event and its id, or a
 *     batch that failed half-written on one shard and is retried) is written twice, into a
 *     ReplacingMergeTree whose key ends in the event id, on the tenant's one shard: merges
 *     collapse the copies.</li>
 * <li>Until they are merged, every read says {@code FINAL} ({@link #rows}), so reports never
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
    private final ClickHouseCallStates callStates;
    private final ClickHouseEventIds eventIds;
    private final ClickHouseKnownIds knownIds;
    private final ClickHouseHttp http;
    private final ClickHouseConfig config;
    private final SqlDialect dialect = new ClickHouseDialect();
    private final ClickHouseRollups rollups;
    private final ClickHouseTenantNodes tenantNodes;
    private final ClickHouseChatReferences chatReferences;
    private final ClickHouseErasure erasure;
    /** Calls from the raw rows, {@code FINAL}; their parts by the hour ({@link ClickHouseCallParts}). */
    private final CallCostReads callCosts;
    private final ScheduledExecutorService recomputation;
    /** Whether a server is starting on this store ({@link #prepareWrites}): readiness then waits for the known ids. */
    private volatile boolean preparing;
    /** For failure-injection tests: called at each step of every write; production never throws there. */
    private volatile Consumer<ClickHouseWriteStep> faults = step -> { };
    private volatile Consumer<ClickHouseRetentionStep> retentionFaults = step -> { };
    /** Where a batch's inserts run beside the writer's own: the calls beside the events, the bookkeeping beside the marks. */
    private final ExecutorService inserts;
    /** Where a read of every tenant asks the other nodes for their hour states while this thread asks one. */
    private final ExecutorService reads;

    ClickHouseEventStore(ClickHouseHttp http, ClickHouseConfig config) {
        this.http = http;
        this.config = config;
        this.rollups = new ClickHouseRollups(http, dialect, System::currentTimeMillis);
        this.tenantNodes = new ClickHouseTenantNodes(http, config);
        this.callStates = new ClickHouseCallStates(http);
        this.eventIds = new ClickHouseEventIds(http);
        this.knownIds = new ClickHouseKnownIds(http, config, System::currentTimeMillis);
        this.chatReferences = new ClickHouseChatReferences(http);
        this.erasure = new ClickHouseErasure(http, rollups, knownIds);
        this.callCosts = callCostReads(this::query, null);
        this.recomputation = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "clickhouse-rollups");
            thread.setDaemon(true);
            return thread;
        });
        this.inserts = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "clickhouse-inserts");
            thread.setDaemon(true);
            return thread;
        });
        this.reads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "clickhouse-reads");
            thread.setDaemon(true);
            return thread;
        });
        recomputation.scheduleWithFixedDelay(this::recomputeQuietly, RECOMPUTE_EVERY_SECONDS, RECOMPUTE_EVERY_SECONDS,
                TimeUnit.SECONDS);
    }

    /**
     * Loads the known ids in the background, again every few seconds until it succeeds: at 100M
     * events that is 800 MB of fingerprints, which the first write would otherwise wait for (it
     * waits for this load if it comes first). Until then {@link #dependencies} names them down, so
     * a load balancer sends this instance no writes yet.
     */
    @Override
    public void prepareWrites() {
        preparing = true;
        Thread loader = new Thread(() -> {
            while (!knownIds.loaded() && !inserts.isShutdown()) {
                try {
                    knownIds.catchUp();
                } catch (RuntimeException failure) {
                    LOG.atWarn().setCause(failure).log("loading the known ids failed; trying again in 5 s");
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }, "clickhouse-known-ids");
        loader.setDaemon(true);
        loader.start();
    }

    /** How many fingerprints the known ids hold (none until loaded); for tests. */
    long knownIdCount() {
        return knownIds.size();
    }

    /** For failure-injection tests: what every later write runs into at each step. */
    public void injectFaults(Consumer<ClickHouseWriteStep> faults) {
        this.faults = faults == null ? step -> { } : faults;
    }

    /** For failure-injection tests: what every later retention run runs into at each step. */
    public void injectRetentionFaults(Consumer<ClickHouseRetentionStep> faults) {
        this.retentionFaults = faults == null ? step -> { } : faults;
    }

    /** For failure-injection tests: what every later erasure runs into at each step. */
    public void injectErasureFaults(Consumer<ClickHouseErasureStep> faults) {
        erasure.injectFaults(faults);
    }

    private void recomputeQuietly() {
        try {
            knownIds.pruneDue();
        } catch (RuntimeException failure) {
            // announcements kept a while longer cost disk, not answers
            LOG.atWarn().setCause(failure).log("dropping old id announcements failed");
        }
        try {
            int hours = http.meters().rollupWork("recompute", rollups::recomputeDue);
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
        return http.meters().rollupWork("recompute", rollups::recomputeAll);
    }

    @Override
    public List<WriteOutcome> write(List<Event> events) {
        // the write's bound runs from its first look at the references (ClickHouseChatReferences)
        long started = System.nanoTime();
        Future<Set<ClickHouseRollups.TenantHour>> referencing = null;
        WritePlan<StoredId, StoredCall> plan;
        try {
            knownIds.catchUp();
            // the hours referencing the batch's chats depend on the events alone: looked up beside the planning,
            // for the chats a reference may name (ClickHouseChatReferences)
            referencing = inserts.submit(() -> chatReferences.hoursReferencing(events, knownIds::mayHold));
            plan = WritePlanner.plan(events, storedState);
        } catch (RuntimeException failure) {
            awaitQuietly(referencing);
            throw failure;
        }
        // the hours of the calls the batch's parts name: a part changes its call's row (ClickHouseCallCostRows)
        Future<Set<ClickHouseRollups.TenantHour>> partCalls = inserts.submit(() -> hoursOfPartCalls(events, plan));
        List<Event> newEvents = plan.newEvents();
        List<ClickHouseCallStates.Written> states = new ArrayList<>(plan.calls().size());
        List<CallRow> callRows = new ArrayList<>();
        // every event's hour, duplicates too: a retry answered duplicate after its first try's rows landed
        // late (a timed-out insert the server finished) marks the hour those rows are in
        Set<ClickHouseRollups.TenantHour> touched = new LinkedHashSet<>();
        events.forEach(event -> touched.add(ClickHouseRollups.TenantHour.of(event.tenantId, event.timeMs)));
        for (WritePlan.CallWrite<StoredCall> call : plan.calls()) {
            Event state = call.state();
            StoredCall before = call.replaced();
            long version = Versions.after(before == null ? 0 : before.version());
            states.add(ClickHouseCallStates.Written.of(state, version));
            callRows.add(new CallRow(state, version, false));
            for (long timeMs : before == null ? Set.<Long>of() : before.timesMs()) {
                if (timeMs != state.timeMs) {
                    // the state moved to another start time: the row it left is covered by a tombstone
                    Event tombstone = state.copy();
                    tombstone.timeMs = timeMs;
                    callRows.add(new CallRow(tombstone, version, true));
                    touched.add(ClickHouseRollups.TenantHour.of(state.tenantId, timeMs));
                }
            }
        }
        List<CallRow> eventRowList = new ArrayList<>(newEvents.size());
        for (int index = 0; index < newEvents.size(); index++) {
            Event event = newEvents.get(index);
            eventRowList.add(new CallRow(event, event.revision, false));
            StoredId before = plan.replacedEvents().get(index);
            for (long timeMs : before == null ? Set.<Long>of() : before.timesMs()) {
                if (timeMs != event.timeMs) {
                    // a correction that moves the event: its row at the former time is covered by a tombstone
                    // of the correction's revision, above every revision written there before
                    Event tombstone = event.copy();
                    tombstone.timeMs = timeMs;
                    eventRowList.add(new CallRow(tombstone, event.revision, true));
                    touched.add(ClickHouseRollups.TenantHour.of(event.tenantId, timeMs));
                }
            }
        }
        // The rows are rendered beside the lookups and small inserts below, which mostly wait for the
        // network. A malformed event fails the batch before its rows are sent; what went in before
        // (announced ids, references, intents, marks) is what a write that fails at its insert leaves.
        Future<byte[][]> rendered = inserts.submit(() -> new byte[][] {rows(eventRowList), rows(callRows)});
        // marked before the rows go in, so no hour holds rows its marks do not announce; a chat changes the
        // member usage of the hours referencing it, and the references stand before the events naming them
        Consumer<ClickHouseWriteStep> faults = this.faults;
        Future<?> references;
        Future<?> intents;
        Future<Long> announcement;
        // the planner's fingerprints: no id hashed twice
        long[] announced = Arrays.copyOf(plan.newEventFingerprints(), newEvents.size() + plan.calls().size());
        for (int index = 0; index < plan.calls().size(); index++) {
            announced[newEvents.size() + index] = plan.calls().get(index).fingerprint();
        }
        long[] referenceFingerprints = ClickHouseChatReferences.fingerprints(events);
        try {
            touched.addAll(awaitInsert(referencing));
            touched.addAll(awaitInsert(partCalls));
            faults.accept(ClickHouseWriteStep.PLANNED);
        } catch (RuntimeException failure) {
            awaitQuietly(partCalls);
            awaitQuietly(rendered);
            throw failure;
        }
        // the small inserts that only have to be in before the rows: side by side, one round trip
        references = inserts.submit(() -> chatReferences.record(events));
        intents = states.isEmpty() ? null : inserts.submit(() -> callStates.recordIntents(states));
        announcement = inserts.submit(() -> knownIds.announce(announced, referenceFingerprints));
        try {
            rollups.mark(touched, false);
        } finally {
            awaitQuietly(rendered);
            awaitInsert(references);
            awaitInsert(intents);
            awaitInsert(announcement);
        }
        byte[][] rows = awaitInsert(rendered);
        byte[] eventRows = rows[0];
        byte[] calls = rows[1];
        faults.accept(ClickHouseWriteStep.MARKED);
        if (!states.isEmpty()) {
            faults.accept(ClickHouseWriteStep.CALL_INTENTS_RECORDED);
        }
        // calls beside the events: neither waits for the other, and the write returns only once both are in
        Future<?> callsInsert = states.isEmpty() ? null : inserts.submit(() -> {
            http.insert("calls", calls);
            faults.accept(ClickHouseWriteStep.CALLS_INSERTED);
            callStates.recordLanded(states);
            faults.accept(ClickHouseWriteStep.CALL_STATES_RECORDED);
        });
        try {
            if (!newEvents.isEmpty()) {
                // their ids land with them (ClickHouseEventIds.VIEW)
                http.insert("events", eventRows);
                faults.accept(ClickHouseWriteStep.EVENTS_INSERTED);
            }
        } finally {
            // even when the events failed: no insert of this batch may still be running when it is retried
            awaitInsert(callsInsert);
        }
        if (System.nanoTime() - started > TimeUnit.MILLISECONDS.toNanos(ClickHouseRollups.WRITE_BOUND_MS)) {
            // slower than a recomputation assumes: mark again, so any hour recomputed meanwhile is read raw,
            // with the hours of references recorded since the first lookup (ClickHouseChatReferences)
            touched.addAll(chatReferences.hoursReferencing(events));
            touched.addAll(hoursOfPartCalls(events, plan));
            rollups.mark(touched, true);
        }
        knownIds.announceAgainIfLate(announced, referenceFingerprints, awaitInsert(announcement));
        faults.accept(ClickHouseWriteStep.WRITTEN);
        if (Boolean.getBoolean(HALT_AFTER_WRITE_PROPERTY)) {
            Runtime.getRuntime().halt(137);
        }
        return plan.outcomes();
    }

    /**
     * Every hour a call named by a part of the batch was written at, but for the calls the batch
     * writes itself (their hours are touched already). Only calls the known ids may hold are looked
     * up: one no instance had announced when this write caught up is being written by another
     * instance, which marks its hour itself, after this part's lookup and so within a write of it.
     */
    private Set<ClickHouseRollups.TenantHour> hoursOfPartCalls(List<Event> events,
                                                               WritePlan<StoredId, StoredCall> plan) {
        Set<EventKey> written = new HashSet<>();
        plan.calls().forEach(call -> written.add(new EventKey(call.state().tenantId, call.state().id)));
        Map<String, Set<String>> callsByTenant = new HashMap<>();
        for (Event event : events) {
            if (CostComponent.namesCall(event) && !written.contains(new EventKey(event.tenantId, event.callId))
                    && knownIds.mayHold(IdFingerprint.of(event.tenantId, event.callId))) {
                callsByTenant.computeIfAbsent(event.tenantId, any -> new HashSet<>()).add(event.callId);
            }
        }
        Set<ClickHouseRollups.TenantHour> hours = new LinkedHashSet<>();
        if (callsByTenant.isEmpty()) {
            return hours;
        }
        callStates.lookup(callsByTenant).forEach((call, stored) -> stored.timesMs()
                .forEach(timeMs -> hours.add(ClickHouseRollups.TenantHour.of(call.tenantId(), timeMs))));
        return hours;
    }

    /**
     * A row of {@code events} (its version the revision) or of {@code calls}: an event, a call's
     * state, or the tombstone of a moved one.
     */
    private record CallRow(Event event, Long version, boolean deleted) {
    }

    /**
     * Answers the planner with keyed lookups, one query each for the whole batch, its keys sent as
     * external data: by id hash first, so ClickHouse reads only the granules that can hold the
     * batch's ids; only for the ids the set of known ids may hold.
     */
    private final class ClickHouseStoredState implements StoredState<StoredId, StoredCall> {
        @Override
        public boolean mayHoldEvent(long fingerprint) {
            return knownIds.mayHold(fingerprint);
        }

        @Override
        public Map<EventKey, StoredId> storedEvents(Map<String, Set<String>> idsByTenant) {
            return eventIds.lookup(idsByTenant);
        }

        @Override
        public EventType type(StoredId event) {
            return event.type();
        }

        @Override
        public long revision(StoredId event) {
            return event.revision();
        }

        @Override
        public boolean mayHoldCall(long fingerprint) {
            return knownIds.mayHold(fingerprint);
        }

        @Override
        public Map<EventKey, StoredCall> storedCalls(Map<String, Set<String>> idsByTenant) {
            return callStates.lookup(idsByTenant);
        }

        @Override
        public String status(StoredCall call) {
            return call.status();
        }

        @Override
        public long callRevision(StoredCall call) {
            return call.revision();
        }
    }

    /**
     * One JSONEachRow line with every column and the version: a call's as given, an event's its
     * revision (given null). Public for bulk loads, which insert rows as this store would and let
     * {@link ClickHouseStore#open} record their ids and mark their hours.
     */
    public static String row(Event event, Long version) {
        Long stored = version == null && event.type != EventType.CALL ? event.revision : version;
        return new String(rows(List.of(new CallRow(event, stored, false))), StandardCharsets.UTF_8).stripTrailing();
    }

    /**
     * JSONEachRow lines, written straight from the events as the UTF-8 bytes sent: no tree of
     * nodes per row, and no text copied and encoded again (a tenth of the server's time at 25k
     * events a second went to those copies).
     */
    private static byte[] rows(List<CallRow> rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(rows.size() * 512);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
            json.setRootValueSeparator(null);
            for (CallRow row : rows) {
                Event event = row.event();
                json.writeStartObject();
                for (EventColumn column : EventColumns.ALL) {
                    Object value = column.read(event);
                    if (value == null) {
                        if (!column.nullable()) {
                            throw new IllegalArgumentException("event " + event.id + " has no " + column.name());
                        }
                        // left out: an omitted Nullable column is NULL, and most of a row's columns are
                        // another type's, so the row is half as long to write here and to parse there
                        continue;
                    }
                    switch (column.kind()) {
                        case STRING -> json.writeStringField(column.name(), (String) value);
                        case LONG -> json.writeNumberField(column.name(), ((Number) value).longValue());
                        case INTEGER -> json.writeNumberField(column.name(), ((Number) value).intValue());
                    }
                }
                if (row.version() != null) {
                    json.writeNumberField("version", row.version());
                    json.writeNumberField("deleted", row.deleted() ? 1 : 0);
                }
                json.writeEndObject();
                json.writeRaw('\n');
            }
        } catch (IOException unwritable) {
            // in memory, only text that is not Unicode (an unpaired surrogate, refused where events come in)
            throw new IllegalArgumentException("an event's row could not be written as JSON: " + unwritable.getMessage(),
                    unwritable);
        }
        return bytes.toByteArray();
    }

    /** Waits for a task of this write to end, whatever its outcome: none may outlive the write. */
    private static void awaitQuietly(Future<?> task) {
        try {
            awaitInsert(task);
        } catch (RuntimeException ignored) {
            // its failure is thrown where its result is used, or the write has already failed
        }
    }

    /** The insert's result once it has ended (null for none), its failure thrown here. */
    private static <T> T awaitInsert(Future<T> insert) {
        if (insert == null) {
            return null;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return insert.get();
                } catch (InterruptedException interruption) {
                    // the insert runs on regardless: wait for its end, then pass the interruption on
                    interrupted = true;
                } catch (ExecutionException failure) {
                    if (failure.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new ClickHouseException("an insert failed: " + failure.getCause(), failure.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Every insert stands alone on ClickHouse; a server that answers a query takes inserts too. */
    @Override
    public void probeWrite() {
        http.query("SELECT 1");
    }

    @Override
    public List<Row> query(Sql sql) {
        return http.meters().reportQuery(() -> http.query(ClickHouseLiterals.bind(sql)));
    }

    @Override
    public void instrument(io.micrometer.core.instrument.MeterRegistry registry) {
        http.meters().bind(registry);
    }

    /**
     * {@code FINAL}: rows replaced (a call's newer state) or replayed (a batch written twice by two
     * instances racing) collapse to one before any aggregate sees them, and the tombstones of moved
     * calls are left out ({@link ClickHouseSchema#rows}). Rendered here, where the table name is,
     * rather than patched into finished SQL.
     */
    @Override
    public String rows(RawTable table) {
        return ClickHouseSchema.rows(table);
    }

    /** Recomputed hours from the rollup tables, the rest from the raw rows ({@link ClickHouseRollups}). */
    @Override
    public Sql rollup(RollupRead read) {
        return rollups.read(read, rows(read.table().source()));
    }

    @Override
    public ReportStore session(String tenantId, long fromMs, long toMs) {
        java.net.URI node = tenantNodes.nodeOf(tenantId).orElse(null);
        List<java.net.URI> statesFrom = node != null ? List.of(node)
                : tenantId == null ? tenantNodes.shardNodes() : List.of();
        ClickHouseRollups.Session session = rollups.new Session(tenantId, fromMs, toMs, statesFrom,
                tenantNodes::onShard, reads);
        ClickHouseEventStore store = this;
        return new ReportStore() {
            @Override
            public List<Row> query(Sql sql) {
                if (node == null) {
                    return store.query(sql);
                }
                // the tables are renamed before the values are bound: a value can never be taken for a table
                Sql onShard = new Sql(tenantNodes.onShard(sql.text()), sql.parameters());
                return http.meters().reportQuery(() -> http.queryOn(node, ClickHouseLiterals.bind(onShard)));
            }

            @Override
            public SqlDialect dialect() {
                return store.dialect();
            }

            @Override
            public String rows(RawTable table) {
                return store.rows(table);
            }

            @Override
            public Sql rollup(RollupRead read) {
                return rollups.read(read, store.rows(read.table().source()), session);
            }

            @Override
            public MemberUsageRollup.Totals memberUsage(String tenant, String memberId, long firstDay, long lastDay) {
                return store.memberUsage(tenant, memberId, firstDay, lastDay);
            }

            // on the tenant's node, as every other read of the session: no query goes through the cluster twice
            @Override
            public Optional<CallCostDetail> callCost(String tenant, String callId) {
                return node == null || !tenant.equals(tenantId) ? store.callCost(tenant, callId)
                        : callCostReads(this::query, null).callCost(tenant, callId);
            }

            @Override
            public CallCostSummary callCosts(CallCostQuery query) {
                if (node == null || !query.tenantId().equals(tenantId)) {
                    return store.callCosts(query);
                }
                // the hours of the calls' parts: the range's, and a day after it for parts that come late
                ClickHouseRollups.Session hours = rollups.new Session(tenantId, query.fromMs(),
                        query.toMs() + CallCostReads.DAY_MS, statesFrom, tenantNodes::onShard, reads);
                return callCostReads(this::query, hours).callCosts(query);
            }

            @Override
            public java.util.OptionalLong callCostsWholeFrom(String tenant) {
                return store.callCostsWholeFrom(tenant);
            }

            @Override
            public boolean exports(ExportFormat format) {
                return store.exports(format);
            }

            @Override
            public void exportEvents(EventExport export, OutputStream out) throws IOException {
                store.exportEvents(export, out);
            }
        };
    }

    /**
     * The cost of calls asked with {@code query}: through the cluster, or on the node holding the
     * tenant's rows; with the hour states of one request ({@code session}) or of none (null).
     */
    private CallCostReads callCostReads(Function<Sql, List<Row>> query,
                                        ClickHouseRollups.Session session) {
        return new CallCostReads(query, rows(RawTable.CALLS), dialect,
                new ClickHouseCallParts(query, rollups, session, rows(RawTable.EVENTS), rows(RawTable.CALLS)));
    }

    /** Recorded hours from the member usage rollup, the rest derived from raw rows ({@link ClickHouseMemberUsage}). */
    @Override
    public MemberUsageRollup.Totals memberUsage(String tenantId, String memberId, long firstDay, long lastDay) {
        return MemberUsageRollup.totals(query(rollups.memberUsage(tenantId, memberId, firstDay, lastDay,
                RawTable.EVENTS.tableName() + " FINAL")).get(0));
    }

    @Override
    public Optional<CallCostDetail> callCost(String tenantId, String callId) {
        return callCosts.callCost(tenantId, callId);
    }

    @Override
    public CallCostSummary callCosts(CallCostQuery query) {
        return callCosts.callCosts(query);
    }

    /**
     * Every endpoint by itself: one that stopped answering is named, though the others still serve;
     * and on a server, whether the known ids are loaded yet.
     */
    @Override
    public Map<String, Boolean> dependencies() {
        Map<String, Boolean> answers = new java.util.TreeMap<>();
        for (java.net.URI endpoint : http.endpoints()) {
            boolean answered;
            try {
                http.queryOn(endpoint, "SELECT 1 AS one");
                answered = true;
            } catch (RuntimeException failure) {
                answered = false;
            }
            answers.put("clickhouse " + endpoint.getHost() + ":" + endpoint.getPort(), answered);
        }
        if (preparing) {
            answers.put("clickhouse known ids", knownIds.loaded());
        }
        return answers;
    }

    @Override
    public boolean deletesRawRows() {
        return true;
    }

    @Override
    public Map<String, Long> deleteRawBefore(String tenantId, long horizonMs) {
        return ClickHouseRetention.deleteBefore(http, rollups, tenantId, horizonMs, retentionFaults);
    }

    /**
     * The recorded horizon: the hours before it keep the rollups made before their raw rows went,
     * and an event written there now would never be counted.
     */
    @Override
    public java.util.OptionalLong writableFrom(String tenantId) {
        long keptFrom = rollups.keptFrom().of(tenantId);
        return keptFrom == ClickHouseKeptFrom.WHOLE ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(keptFrom);
    }

    /** The calls before a horizon keep their rows ({@link ClickHouseCallCostRows}): their hours were recorded first. */
    @Override
    public java.util.OptionalLong callCostsWholeFrom(String tenantId) {
        return java.util.OptionalLong.empty();
    }

    @Override
    public Map<String, Long> deleteTenant(String tenantId) {
        return ClickHouseTenantDeletion.delete(http, tenantId);
    }

    @Override
    public boolean erases() {
        return true;
    }

    /**
     * Rewritten by mutations on every node, in an order that never counts the subject twice, and
     * recorded as erased last ({@link ClickHouseErasure}): not all at once as in one transaction, so
     * an erasure a crash interrupted is finished by submitting it again.
     */
    @Override
    public Map<String, Long> erase(dev.tally.store.SubjectErasure subject) {
        return erasure.erase(subject, System.currentTimeMillis());
    }

    @Override
    public List<dev.tally.store.ErasedSubject> erasedSubjects() {
        return erasure.list();
    }

    /** ClickHouse writes NDJSON and CSV itself; this release of it has no Parquet writer Tally relies on. */
    @Override
    public boolean exports(ExportFormat format) {
        return switch (format) {
            case NDJSON, CSV -> true;
            case PARQUET -> false;
        };
    }

    @Override
    public void exportEvents(EventExport export, OutputStream out) throws IOException {
        String format = switch (export.format()) {
            case NDJSON -> "JSONEachRow";
            case CSV -> "CSVWithNames";
            case PARQUET -> throw new IllegalArgumentException("ClickHouse does not export Parquet here");
        };
        http.copyTo(ClickHouseLiterals.bind(export.select(this::rows)) + "\nFORMAT " + format, out);
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
        inserts.shutdown();
        reads.shutdown();
    }
}
