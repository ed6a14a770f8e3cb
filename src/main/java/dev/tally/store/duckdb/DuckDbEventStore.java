package dev.tally.store.duckdb;

import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.ingest.EventKey;
import dev.tally.ingest.StoredState;
import dev.tally.ingest.WriteOutcome;
import dev.tally.ingest.WritePlan;
import dev.tally.ingest.WritePlanner;
import dev.tally.ingest.dedup.FingerprintSet;
import dev.tally.ingest.dedup.LongHashSet;
import dev.tally.store.EventStore;
import dev.tally.store.ReportStore;
import dev.tally.store.rollup.MemberUsageRollup;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.rollup.StoredEvent;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.store.sql.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The embedded default store.
 *
 * <p>Exactly-once without a unique index: the fingerprints of every stored (tenant, id) are held
 * in memory ({@link FingerprintSet}, loaded at start from the {@code id_hash} column). An event whose
 * fingerprint is new is certainly new; one whose fingerprint is known is confirmed against the
 * stored ids before it is called a duplicate. The set is only updated after a commit succeeds, so a
 * failed batch leaves no trace and its retry is stored whole.
 *
 * <p>{@code call} events go to the {@code calls} table, one row per call holding its latest state.
 *
 * <p>The rollups are appended in the same transaction as the events; the member usage rollup with
 * the chat owners that {@link MemberAttribution} keeps in memory beside the fingerprints.
 */
public final class DuckDbEventStore implements EventStore {
    private final DuckDbDatabase database;
    private final DuckDBConnection writer;
    /**
     * Held while the writer's connection is in use: the writer thread writes and folds, but tests
     * and tools fold, refresh or check from their own threads, and two statements at once on one
     * DuckDB connection abort its transaction.
     */
    private final Object writerInUse = new Object();
    private final FingerprintSet fingerprints;
    /** The same for the {@code calls} table, so a batch of new calls skips looking up their stored state. */
    private final FingerprintSet callFingerprints;
    private final DuckDbStoredState storedState = new DuckDbStoredState();
    /** The rows the latest writes committed to {@code events} and {@code calls}: most corrections need no lookup. */
    private final RecentRows recentEvents = new RecentRows(dev.tally.store.sql.RawTable.EVENTS);
    private final RecentRows recentCalls = new RecentRows(dev.tally.store.sql.RawTable.CALLS);
    private final GroupStates groupStates = new GroupStates();
    private final SqlDialect dialect = new DuckDbDialect();
    private final DuckDbReports reports;
    private final DuckDbRollups rollups = new DuckDbRollups();
    private MemberAttribution members;
    private final RollupJournal journal = new RollupJournal();
    private final DeltasBeside deltasBeside = new DeltasBeside();
    private WriteFaults faults = WriteFaults.NONE;
    private final dev.tally.store.StoreMeters meters = new dev.tally.store.StoreMeters("duckdb");

    public DuckDbEventStore(DuckDbDatabase database) {
        this.database = database;
        this.reports = new DuckDbReports(database, dialect, true, meters, rollups);
        this.writer = database.newConnection();
        this.fingerprints = loadFingerprints("events");
        this.callFingerprints = loadFingerprints("calls");
        try {
            rollups.backfillIfNeeded(writer);
            rebuildStaleListedAtOpening();
            checkAfterUncleanShutdown();
        } catch (SQLException failure) {
            throw new StoreException(failure);
        }
        this.members = database.read(MemberAttribution::load);
    }

    /**
     * The last run did not close the store (its journal of written days is not empty): before
     * serving, the rollups of the days it wrote are recomputed from the raw rows, and repaired
     * where they differ. A transaction makes them agree; this makes sure.
     */
    private void checkAfterUncleanShutdown() throws SQLException {
        long days = RollupJournal.size(writer);
        if (days == 0) {
            return;
        }
        RollupJournal.toCheckScope(writer);
        RollupCheck.Result result = RollupCheck.run(writer, rollups, RollupScope.LISTED_DAYS, true);
        journal.clear(writer);
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DuckDbEventStore.class);
        if (result.total() > 0) {
            log.warn("the last run ended without closing the store: the rollups of {} tenant-days were checked"
                    + " in {} ms, {} groups differed and were repaired: {}", days, result.milliseconds(),
                    result.total(), result.differences());
        } else {
            log.info("the last run ended without closing the store: the rollups of {} tenant-days were checked"
                    + " in {} ms and agree with the raw rows", days, result.milliseconds());
        }
    }

    /** Groups a run listed with stale extremes and ended before rebuilding are rebuilt before anything reads them. */
    private void rebuildStaleListedAtOpening() throws SQLException {
        rollups.countStale(writer);
        if (rollups.staleListed()) {
            long groups = rollups.rebuildStale(writer, faults);
            org.slf4j.LoggerFactory.getLogger(DuckDbEventStore.class).info(
                    "rebuilt {} rollup groups the last run listed with stale extremes", groups);
        }
    }

    /**
     * Recomputes every rollup from the raw tables and compares; with {@code repair}, replaces the
     * groups that differ. On the writer's connection: call it where writes are not running. Groups
     * listed with stale extremes are rebuilt first: their rows are bounds by design, not differences.
     */
    public RollupCheck.Result checkRollups(boolean repair) {
        synchronized (writerInUse) {
            try {
                rollups.rebuildStale(writer, faults);
                // a repair rewrites groups the memory follows
                forgetRecentRows();
                return RollupCheck.run(writer, rollups, RollupScope.KEPT_DAYS, repair);
            } catch (SQLException failure) {
                throw new StoreException(failure);
            }
        }
    }

    private FingerprintSet loadFingerprints(String table) {
        return database.read(connection -> {
            long count;
            try (Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table)) {
                result.next();
                count = result.getLong(1);
            }
            FingerprintSet.Loader set = FingerprintSet.loader(count);
            try (Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SELECT id_hash FROM " + table)) {
                while (result.next()) {
                    set.add(result.getLong(1));
                }
            }
            return set.finish();
        });
    }

    /** For failure-injection tests: the faults every later write runs into. */
    public void injectFaults(WriteFaults faults) {
        this.faults = faults == null ? WriteFaults.NONE : faults;
    }

    /**
     * One transaction for the whole batch: events, calls, every rollup table and the member usage
     * table commit together or not at all, and the in-memory state (fingerprints, chat owners)
     * changes only after the commit.
     */
    @Override
    public List<WriteOutcome> write(List<Event> events) {
        synchronized (writerInUse) {
            lastWriteNanos = System.nanoTime();
            checkpointRefused = false;
            try {
                return writeInTransaction(events, ReplacedRows.Match.FINGERPRINT);
            } catch (StoreException failure) {
                if (!(failure.getCause() instanceof ReplacedRows.Mismatch)) {
                    throw failure;
                }
                // rolled back, the rows held in memory forgotten: written again, looked up and matched by (tenant, id)
                org.slf4j.LoggerFactory.getLogger(DuckDbEventStore.class).warn("{}; writing the batch again",
                        failure.getCause().getMessage());
                return writeInTransaction(events, ReplacedRows.Match.TENANT_AND_ID);
            }
        }
    }

    private List<WriteOutcome> writeInTransaction(List<Event> events, ReplacedRows.Match match) {
        List<WriteOutcome> outcomes;
        long[] added = new long[0];
        long[] addedCalls = new long[0];
        boolean commitTried = false;
        try {
            DuckDbTransaction.begin(writer);
            faults.reached(WriteStep.BEGUN);
            Rollups.Deltas deltas = new Rollups.Deltas();
            storedState.plan(events);
            WritePlan<Event, Event> plan = WritePlanner.plan(events, storedState);
            added = plan.newEventFingerprints();
            recentEvents.planned(writer);
            recentCalls.planned(writer);
            List<Map.Entry<dev.tally.store.rollup.RollupTable, List<Object>>> born = recentEvents.bornIn(plan.newEvents());
            groupStates.bornIn(born);
            List<Event> replaced = takeBackReplacedEvents(plan, deltas);
            // counted beside the statements below, which leave the deltas alone until it is done
            DeltasBeside.Counting counting = deltasBeside.count(plan.newEvents(), deltas);
            MemberAttribution.Update memberUsage;
            try {
                // before the new events are written: a late or corrected chat's query must find only earlier writes' events
                memberUsage = members.attribute(writer, plan.newEvents(), plan.replacedEvents());
                deleteReplacedEvents(replaced, match);
                appendEvents(plan.newEvents(), added);
            } finally {
                counting.await();
            }
            faults.reached(WriteStep.EVENTS_APPENDED);
            addedCalls = writeCalls(plan.calls(), deltas, match);
            outcomes = plan.outcomes();
            faults.reached(WriteStep.CALLS_WRITTEN);
            rollups.append(writer, deltas, faults,
                    new GroupMembers(recentEvents, groupStates, plan.replacedEvents(), plan.newEvents()));
            rollups.append(writer, memberUsage.deltas);
            journal.append(writer, deltas, memberUsage.deltas);
            faults.reached(WriteStep.ROLLUPS_APPENDED);
            commitTried = true;
            faults.reached(WriteStep.COMMIT);
            DuckDbTransaction.commit(writer);
            rollups.committed();
            journal.committed();
            members.committed(memberUsage);
            remember(added, addedCalls);
            rememberRows(plan, born);
            groupStates.committed();
            faults.reached(WriteStep.COMMITTED);
        } catch (SQLException failure) {
            failed(commitTried, added, addedCalls);
            throw new StoreException(failure);
        } catch (RuntimeException | Error failure) {
            failed(commitTried, added, addedCalls);
            throw failure;
        }
        compactRollupsWhenDue();
        return outcomes;
    }

    private void remember(long[] added, long[] addedCalls) {
        remember(fingerprints, added, storedState.knownEvents);
        remember(callFingerprints, addedCalls, storedState.knownCalls);
    }

    /**
     * The plan asked the set for every row it writes, so a fingerprint it did not find is added
     * without searching again; once, should two keys of the write share it.
     */
    private static void remember(FingerprintSet set, long[] added, LongHashSet known) {
        LongHashSet seen = new LongHashSet(added.length);
        for (long fingerprint : added) {
            if (!seen.add(fingerprint)) {
                continue;
            }
            if (known.contains(fingerprint)) {
                set.add(fingerprint);
            } else {
                set.addAbsent(fingerprint);
            }
        }
    }

    private void rememberRows(WritePlan<Event, Event> plan,
            List<Map.Entry<dev.tally.store.rollup.RollupTable, List<Object>>> born) {
        recentEvents.committed(plan.newEvents(), plan.newEventFingerprints(), born);
        List<Event> states = new ArrayList<>(plan.calls().size());
        long[] callFingerprints = new long[plan.calls().size()];
        for (WritePlan.CallWrite<Event> call : plan.calls()) {
            callFingerprints[states.size()] = call.fingerprint();
            states.add(call.state());
        }
        recentCalls.committed(states, callFingerprints, List.of());
    }

    /** The event row held in memory for this key, or null (tests: a held row must be the stored one). */
    Event recentEvent(String tenantId, String id) {
        synchronized (writerInUse) {
            return recentEvents.get(tenantId, id);
        }
    }

    /** The same for a call's state. */
    Event recentCall(String tenantId, String id) {
        synchronized (writerInUse) {
            return recentCalls.get(tenantId, id);
        }
    }

    /** The groups' counts and extremes known in memory (tests: each must be the stored one). */
    Map<List<Object>, GroupStates.State> knownGroups(dev.tally.store.rollup.RollupTable table) {
        synchronized (writerInUse) {
            return groupStates.known(table);
        }
    }

    /** Something changed raw rows other than a write this store followed: the rows held in memory may be stale. */
    private void forgetRecentRows() {
        recentEvents.clear();
        recentCalls.clear();
        groupStates.clear();
    }

    /**
     * Undoes what a failed write began. A failure at or after the commit may hide a commit that
     * took effect (its answer lost), so the batch's fingerprints are remembered all the same: a
     * known fingerprint only means "look it up", so the retry finds the stored rows, if any, and
     * is told duplicate instead of being stored twice.
     */
    private void failed(boolean commitTried, long[] added, long[] addedCalls) {
        DuckDbTransaction.rollbackQuietly(writer);
        // a commit that took effect unseen may have changed rows held in memory: which ones is not worth knowing
        forgetRecentRows();
        rollups.rolledBack();
        journal.rolledBack();
        if (commitTried) {
            remember(added, addedCalls);
        }
    }

    /** A write that commits and changes nothing: DuckDB's log takes a record, as for any write. */
    @Override
    public void probeWrite() {
        synchronized (writerInUse) {
            try {
                DuckDbTransaction.inTransaction(writer, () -> {
                    try (Statement statement = writer.createStatement()) {
                        statement.executeUpdate("UPDATE rollup_state SET version = version");
                    }
                    faults.reached(WriteStep.COMMIT);
                    return null;
                });
            } catch (SQLException failure) {
                throw new StoreException(failure);
            }
        }
    }

    /** After the commit, so a compaction failure never fails a write: the deltas are correct uncompacted. */
    private void compactRollupsWhenDue() {
        if (rollups.staleRebuildDue()) {
            rebuildStaleQuietly();
        }
        if (rollups.compactionDue()) {
            compactQuietly("fold", "rollup compaction", () -> rollups.compactDue(writer));
        }
    }

    /** On the writer thread, like {@link #write}: folds the deltas that piled up during the last burst. */
    @Override
    public void idle() {
        synchronized (writerInUse) {
            if (rollups.staleListed()) {
                rebuildStaleQuietly();
            } else if (rollups.idleCompactionDue()) {
                compactQuietly("fold", "idle rollup compaction", () -> rollups.compactIdle(writer));
            } else if (rollups.refreshDue()) {
                compactQuietly("call_cost_refresh", "refresh of the touched calls' cost rows",
                        () -> rollups.refreshTouchedCalls(writer));
            } else if (checkpointDue()) {
                // refused while another connection writes: tried again after the next write, not every idle tick
                checkpointRefused = !compactQuietly("checkpoint", "checkpoint of the log while idle",
                        database::checkpoint);
            }
        }
    }

    /**
     * Log bytes past which an idle writer folds the log into the file. The file's own threshold is
     * high, as folding during ingest slowed it ({@link DuckDbDatabase#CHECKPOINT_THRESHOLD}); until a
     * fold, the rows written since and the rows refreshes deleted are read from the log's memory,
     * which made the call-cost reads after a burst slower than on a folded file.
     */
    static final long IDLE_CHECKPOINT_BYTES = 16L << 20;
    /** Quiet before an idle fold: the gaps between one client's batches during a burst are shorter. */
    static final long IDLE_CHECKPOINT_QUIET_NANOS = 1_000_000_000L;
    private volatile long lastWriteNanos = System.nanoTime();
    private volatile boolean checkpointRefused;

    private boolean checkpointDue() {
        return !checkpointRefused && System.nanoTime() - lastWriteNanos >= IDLE_CHECKPOINT_QUIET_NANOS
                && database.logBytes() >= IDLE_CHECKPOINT_BYTES;
    }

    /** A failed rebuild leaves the groups listed: reads still find them stale and ask again. */
    private void rebuildStaleQuietly() {
        compactQuietly("stale_extremes", "rebuild of the groups listed with stale extremes",
                () -> rollups.rebuildStale(writer, faults));
    }

    private interface Compaction {
        void run() throws SQLException;
    }

    /** A failed compaction is logged, not thrown: the deltas it would have folded still add up. Returns whether it ran. */
    private boolean compactQuietly(String kind, String what, Compaction compaction) {
        try {
            meters.rollupWork(kind, () -> {
                try {
                    compaction.run();
                    return null;
                } catch (SQLException failure) {
                    throw new StoreException(failure);
                }
            });
            return true;
        } catch (StoreException failure) {
            org.slf4j.LoggerFactory.getLogger(DuckDbEventStore.class).warn("{} failed: {}", what, failure.getMessage());
            return false;
        }
    }

    @Override
    public void instrument(io.micrometer.core.instrument.MeterRegistry registry) {
        meters.bind(registry);
        // read off the writer thread: a moment's stale count only shifts when the gauge turns
        io.micrometer.core.instrument.Gauge.builder("tally.store.rollup.work.due", rollups,
                        due -> due.idleCompactionDue() || due.refreshDue() || due.staleListed()
                                || database.logBytes() >= IDLE_CHECKPOINT_BYTES && !checkpointRefused ? 1 : 0)
                .description("Rollup upkeep (a fold of deltas, a refresh of touched calls, a rebuild of groups listed"
                        + " with stale extremes, a checkpoint of the log) waiting for the writer to be idle: 1 while"
                        + " reads are slower than they will be once it has run.")
                .tag("store", "duckdb").register(registry);
    }

    /** Brings the touched calls' ready cost rows up to date now rather than at the writer's next idle moment (tests). */
    public void refreshCallCostRows() {
        synchronized (writerInUse) {
            try {
                rollups.refreshTouchedCalls(writer);
            } catch (SQLException failure) {
                throw new StoreException(failure);
            }
        }
    }

    /** Rebuilds the groups listed with stale extremes now rather than when the writer is idle (tests). */
    void rebuildStaleExtremes() {
        synchronized (writerInUse) {
            try {
                rollups.rebuildStale(writer, faults);
            } catch (SQLException failure) {
                throw new StoreException(failure);
            }
        }
    }

    /**
     * Folds the rollup deltas now rather than when enough have piled up (tests, and after a bulk
     * load), the groups listed with stale extremes rebuilt first: the tables as a read would see them.
     */
    public void compactRollups() {
        synchronized (writerInUse) {
            meters.rollupWork("fold", () -> {
                try {
                    rollups.rebuildStale(writer, faults);
                    rollups.compact(writer);
                    return null;
                } catch (SQLException failure) {
                    throw new StoreException(failure);
                }
            });
        }
    }

    /**
     * For loading benchmark data in bulk, before a store is opened on the file: the caller has
     * stored the raw rows and appended the delta rows of {@link Rollups#ALL}; this fills the
     * member usage rollup from the stored events and marks the rollups current, so opening the
     * store does not rebuild them.
     */
    public static void completeBulkLoad(DuckDBConnection connection) throws SQLException {
        DuckDbRollups.completeBulkLoad(connection);
    }

    private void appendEvents(List<Event> fresh, long[] fingerprintOf) throws SQLException {
        if (fresh.isEmpty()) {
            return;
        }
        try (DuckDBAppender appender = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
            for (int index = 0; index < fresh.size(); index++) {
                faults.appending(fresh.get(index));
                EventRowAppender.append(appender, fresh.get(index), fingerprintOf[index]);
            }
        }
    }

    /** The stored events that corrections replace, taken out of the rollups as if they had never been stored. */
    private static List<Event> takeBackReplacedEvents(WritePlan<Event, Event> plan, Rollups.Deltas deltas) {
        if (!plan.replacesEvents()) {
            return List.of();
        }
        List<Event> replaced = new ArrayList<>();
        for (Event event : plan.replacedEvents()) {
            if (event != null) {
                replaced.add(event);
                deltas.remove(event);
            }
        }
        return replaced;
    }

    /** Takes the stored events that corrections replace out of the table. */
    private void deleteReplacedEvents(List<Event> replaced, ReplacedRows.Match match) throws SQLException {
        if (replaced.isEmpty()) {
            return;
        }
        ReplacedRows.delete(writer, "events", replaced, match);
        faults.reached(WriteStep.EVENTS_DELETED);
    }

    /** Writes each call's latest state, taking the state it replaces out of the table and the rollups. */
    private long[] writeCalls(List<WritePlan.CallWrite<Event>> calls, Rollups.Deltas deltas, ReplacedRows.Match match)
            throws SQLException {
        if (calls.isEmpty()) {
            return new long[0];
        }
        deleteReplacedCalls(calls, match);
        long[] written = new long[calls.size()];
        int count = 0;
        try (DuckDBAppender appender = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "calls")) {
            for (WritePlan.CallWrite<Event> call : calls) {
                faults.appending(call.state());
                EventRowAppender.append(appender, call.state(), call.fingerprint());
                written[count++] = call.fingerprint();
                if (call.replaced() != null) {
                    deltas.remove(call.replaced());
                }
                deltas.add(call.state());
            }
        }
        return written;
    }

    /**
     * Answers the planner from the fingerprints in memory, looking up only ids they may hold: first
     * near the batch's own times ({@link LookupWindows}), where a retry or a correction finds its
     * stored row by the zone maps of a few row groups, then, for any id not found there, anywhere.
     */
    private final class DuckDbStoredState implements StoredState<Event, Event> {
        /** The current batch's windows, set before it is planned. */
        private LookupWindows nearTimes = LookupWindows.of(List.of());
        /** The fingerprints the current plan found in the sets: any other it asked for is absent from them. */
        private LongHashSet knownEvents = new LongHashSet(16);
        private LongHashSet knownCalls = new LongHashSet(16);

        /** Before a batch is planned. */
        void plan(List<Event> events) {
            nearTimes = LookupWindows.of(events);
            knownEvents = new LongHashSet(16);
            knownCalls = new LongHashSet(16);
        }

        @Override
        public boolean mayHoldEvent(long fingerprint) {
            boolean known = fingerprints.contains(fingerprint);
            if (known) {
                knownEvents.add(fingerprint);
            }
            return known;
        }

        /** The stored events as events: the rollups take them back when a correction replaces them. */
        @Override
        public Map<EventKey, Event> storedEvents(Map<String, Set<String>> idsByTenant) {
            return stored("events", recentEvents, idsByTenant);
        }

        @Override
        public EventType type(Event event) {
            return event.type;
        }

        @Override
        public long revision(Event event) {
            return event.revision;
        }

        @Override
        public boolean mayHoldCall(long fingerprint) {
            boolean known = callFingerprints.contains(fingerprint);
            if (known) {
                knownCalls.add(fingerprint);
            }
            return known;
        }

        /** The stored states as events: the rollups take them back when a newer state replaces them. */
        @Override
        public Map<EventKey, Event> storedCalls(Map<String, Set<String>> idsByTenant) {
            return stored("calls", recentCalls, idsByTenant);
        }

        private Map<EventKey, Event> stored(String table, RecentRows recent, Map<String, Set<String>> idsByTenant) {
            Map<EventKey, Event> stored = new HashMap<>();
            Map<String, Set<String>> missing = new HashMap<>();
            recent.asked();
            idsByTenant.forEach((tenant, ids) -> {
                Set<String> notRecent = new HashSet<>();
                for (String id : ids) {
                    Event row = recent.get(tenant, id);
                    if (row == null) {
                        notRecent.add(id);
                    } else {
                        stored.put(new EventKey(tenant, id), row);
                    }
                }
                if (!notRecent.isEmpty()) {
                    missing.put(tenant, notRecent);
                }
            });
            for (LookupWindows.Span span : nearTimes.spans(missing.keySet())) {
                read(table, span.tenants(), missing, new long[] {span.first(), span.last()}, stored);
            }
            for (Map.Entry<String, Set<String>> tenant : missing.entrySet()) {
                if (!tenant.getValue().isEmpty()) {
                    read(table, Set.of(tenant.getKey()), missing, null, stored);
                }
            }
            return stored;
        }

        /**
         * Reads the rows of the tenants' missing ids (within {@code window} unless null); removes those
         * found from {@code missing}. One tenant's ids are asked of the others too, in one list: a row
         * found for an id its tenant did not ask for is left aside.
         */
        private void read(String table, Set<String> tenants, Map<String, Set<String>> missing, long[] window,
                Map<EventKey, Event> stored) {
            Set<String> ids = new HashSet<>();
            tenants.forEach(tenant -> ids.addAll(missing.get(tenant)));
            SqlBuilder sql = new SqlBuilder().append("SELECT " + StoredEvent.COLUMNS + " FROM " + table
                    + " WHERE tenant_id IN ").values(tenants);
            if (window != null) {
                sql.append(" AND time_ms >= ").value(window[0]).append(" AND time_ms <= ").value(window[1]);
            }
            for (Row row : lookup(sql.append(" AND id IN ").values(ids).build())) {
                String tenant = row.string("tenant_id");
                String id = row.string("id");
                if (missing.get(tenant).remove(id)) {
                    stored.put(new EventKey(tenant, id), StoredEvent.fromRow(row));
                }
            }
        }

        @Override
        public String status(Event call) {
            return call.status;
        }

        @Override
        public long callRevision(Event call) {
            return call.revision;
        }

        private List<Row> lookup(Sql sql) {
            try {
                return run(writer, sql);
            } catch (SQLException failure) {
                throw new StoreException(failure);
            }
        }
    }

    private void deleteReplacedCalls(List<WritePlan.CallWrite<Event>> calls, ReplacedRows.Match match)
            throws SQLException {
        List<Event> replaced = new ArrayList<>();
        for (WritePlan.CallWrite<Event> call : calls) {
            if (call.replaced() != null) {
                replaced.add(call.replaced());
            }
        }
        ReplacedRows.delete(writer, "calls", replaced, match);
    }

    /**
     * A read of minimums or maximums that meets groups listed with stale extremes ({@link StaleExtremes#guarded})
     * has them rebuilt and reads again with writes held off, so no later write can list another first.
     */
    @Override
    public List<Row> query(Sql sql) {
        try {
            return reports.query(sql);
        } catch (StoreException failure) {
            if (!StaleExtremes.raisedBy(failure)) {
                throw failure;
            }
            synchronized (writerInUse) {
                meters.rollupWork("stale_extremes", () -> {
                    try {
                        return rollups.rebuildStale(writer, faults);
                    } catch (SQLException rebuildFailure) {
                        throw new StoreException(rebuildFailure);
                    }
                });
                return reports.query(sql);
            }
        }
    }

    @Override
    public String rows(RawTable table) {
        return reports.rows(table);
    }

    @Override
    public Sql rollup(RollupRead read) {
        return reports.rollup(read);
    }

    @Override
    public MemberUsageRollup.Totals memberUsage(String tenantId, String memberId, long firstDay, long lastDay) {
        return reports.memberUsage(tenantId, memberId, firstDay, lastDay);
    }

    @Override
    public java.util.Optional<dev.tally.store.callcost.CallCostDetail> callCost(String tenantId, String callId) {
        return reports.callCost(tenantId, callId);
    }

    @Override
    public dev.tally.store.callcost.CallCostSummary callCosts(dev.tally.store.callcost.CallCostQuery query) {
        return reports.callCosts(query);
    }

    @Override
    public boolean exports(dev.tally.store.export.ExportFormat format) {
        return reports.exports(format);
    }

    @Override
    public void exportEvents(dev.tally.store.export.EventExport export, java.io.OutputStream out)
            throws java.io.IOException {
        reports.exportEvents(export, out);
    }

    /** The same data read without the rollups: every report derived from the raw rows, for comparing the two. */
    public ReportStore withoutRollups() {
        return new DuckDbReports(database, dialect, false, meters, rollups);
    }

    private static PreparedStatement prepare(Connection connection, Sql sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql.text());
        for (int index = 0; index < sql.parameters().size(); index++) {
            statement.setObject(index + 1, sql.parameters().get(index));
        }
        return statement;
    }

    static int update(Connection connection, Sql sql) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql)) {
            return statement.executeUpdate();
        }
    }

    static List<Row> run(Connection connection, Sql sql) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql);
             ResultSet result = statement.executeQuery()) {
            ResultSetMetaData meta = result.getMetaData();
            // the labels once, not per row: each call makes a new string, hashed again for every value
            String[] labels = new String[meta.getColumnCount()];
            for (int column = 1; column <= labels.length; column++) {
                labels[column - 1] = meta.getColumnLabel(column);
            }
            List<Row> rows = new ArrayList<>();
            while (result.next()) {
                Map<String, Object> values = new LinkedHashMap<>();
                for (int column = 1; column <= labels.length; column++) {
                    values.put(labels[column - 1], result.getObject(column));
                }
                rows.add(new Row(values));
            }
            return rows;
        }
    }

    @Override
    public SqlDialect dialect() {
        return dialect;
    }

    @Override
    public String name() {
        return "duckdb";
    }

    /**
     * DuckDB's {@code EXPORT DATABASE}: one read transaction, so the copy is the store as of one
     * instant however long it takes, while writes go on; Parquet files with the schema beside them,
     * which {@link DuckDbBackups#restore} loads into a new data directory.
     */
    @Override
    public java.util.Map<String, Long> deleteTenant(String tenantId) {
        // under the writer lock: a write planned between the deletion's commit and the forgetting
        // would take back, from the rollups, rows that are no longer there
        synchronized (writerInUse) {
            try {
                return DuckDbTenantDeletion.delete(database, tenantId);
            } finally {
                forgetRecentRows();
            }
        }
    }

    @Override
    public boolean erases() {
        return true;
    }

    @Override
    public boolean erasesAtomically() {
        return true;
    }

    @Override
    public java.util.Map<String, Long> erase(dev.tally.store.SubjectErasure erasure) {
        synchronized (writerInUse) {
            try {
                forgetRecentRows();
                java.util.Map<String, Long> rows = DuckDbTransaction.inTransaction(writer,
                        () -> DuckDbErasure.erase(writer, erasure, System.currentTimeMillis(), faults));
                if (erasure.subject() == dev.tally.tenant.ErasureSubject.CALL_ID) {
                    callFingerprints.add(dev.tally.ingest.dedup.IdFingerprint.of(erasure.tenantId(), erasure.pseudonym()));
                }
                if (erasure.subject() == dev.tally.tenant.ErasureSubject.MEMBER_ID) {
                    // the chat owners held in memory name members: read them again as the store now holds them
                    members = database.read(MemberAttribution::load);
                }
                return rows;
            } catch (SQLException failure) {
                throw new StoreException(failure);
            }
        }
    }

    @Override
    public List<dev.tally.store.ErasedSubject> erasedSubjects() {
        return database.read(DuckDbErasure::list);
    }

    @Override
    public boolean deletesRawRows() {
        return true;
    }

    @Override
    public java.util.Map<String, Long> deleteRawBefore(String tenantId, long horizonMs) {
        synchronized (writerInUse) {
            try {
                // the touched calls' ready rows and the listed groups are made from raw rows: made now, while those still exist
                rollups.refreshTouchedCalls(writer);
                rollups.rebuildStale(writer, faults);
                forgetRecentRows();
                return DuckDbTransaction.inTransaction(writer,
                        () -> DuckDbRetention.deleteBefore(writer, tenantId, horizonMs, faults));
            } catch (SQLException failure) {
                throw new StoreException(failure);
            }
        }
    }

    @Override
    public boolean backup(java.nio.file.Path directory) {
        DuckDbBackups.export(database, directory);
        return true;
    }

    /** A clean close empties the journal of written days: the next start has nothing to check. */
    @Override
    public void close() {
        synchronized (writerInUse) {
            try {
                journal.clear(writer);
            } catch (SQLException failure) {
                org.slf4j.LoggerFactory.getLogger(DuckDbEventStore.class)
                        .warn("the journal of written days was not emptied; the next start checks them: {}",
                                failure.getMessage());
            }
            try {
                writer.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
            deltasBeside.close();
        }
    }
}
