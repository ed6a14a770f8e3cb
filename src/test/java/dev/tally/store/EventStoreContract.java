package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.ingest.WriteOutcome;
import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.store.sql.EventColumn;
import dev.tally.store.sql.EventColumns;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.testing.StoredEvents;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventStore} must do, whatever the engine: exactly-once by (tenant, id), call
 * state replacement, all-or-nothing batches and faithful columns. A backend's test extends this
 * and says only how to open an empty store.
 */
public abstract class EventStoreContract {
    /** 2026-03-15T10:00:00Z */
    public static final long TIME_MS = 1_773_568_800_000L;

    protected EventStore store;

    /** An empty store, opened for one test. */
    protected abstract EventStore newStore();

    /** Closes what {@link #newStore()} opened; override when the backend holds more than the store. */
    protected void closeStore(EventStore opened) {
        opened.close();
    }

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeOpenedStore() {
        closeStore(store);
    }

    @Test
    void newEventsAreStored() {
        List<WriteOutcome> outcomes = store.write(List.of(llm("acme", "e1"), llm("acme", "e2")));

        assertThat(outcomes).containsExactly(WriteOutcome.STORED, WriteOutcome.STORED);
        assertThat(count("events", "acme")).isEqualTo(2);
    }

    @Test
    void sameTenantAndIdAgainIsDuplicate() {
        store.write(List.of(llm("acme", "e1")));

        List<WriteOutcome> outcomes = store.write(List.of(llm("acme", "e1"), llm("acme", "e2")));

        assertThat(outcomes).containsExactly(WriteOutcome.DUPLICATE, WriteOutcome.STORED);
        assertThat(count("events", "acme")).isEqualTo(2);
    }

    @Test
    void duplicateInsideOneBatchIsStoredOnce() {
        Event first = llm("acme", "e1");
        first.inputTokens = 10;
        Event second = llm("acme", "e1");
        second.inputTokens = 99;

        List<WriteOutcome> outcomes = store.write(List.of(first, second));

        assertThat(outcomes).containsExactly(WriteOutcome.STORED, WriteOutcome.DUPLICATE);
        List<Row> rows = store.query(new SqlBuilder()
                .append("SELECT input_tokens FROM " + store.rows(RawTable.EVENTS) + "tenant_id = ").value("acme").build());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).longValue("input_tokens")).isEqualTo(10);
    }

    @Test
    void sameIdInTwoTenantsIsTwoEvents() {
        List<WriteOutcome> outcomes = store.write(List.of(llm("acme", "shared-id"), llm("globex", "shared-id")));

        assertThat(outcomes).containsExactly(WriteOutcome.STORED, WriteOutcome.STORED);
        assertThat(count("events", "acme")).isEqualTo(1);
        assertThat(count("events", "globex")).isEqualTo(1);
    }

    /** Ids are any text: the keys a lookup sends must reach the store unchanged, whatever they hold. */
    @Test
    void idsOfAnyTextAreFoundAgainAcrossTenants() {
        List<String> ids = List.of("quote\"d", "back\\slash", "tab\tand\nnewline", "--tally-1f2e3d", "'single'",
                "\u00e9\u4e2d\uD83D\uDE00", "comma,(paren)");
        List<Event> first = new ArrayList<>();
        ids.forEach(id -> first.add(llm("acme", id)));
        first.add(llm("globex", ids.get(0)));
        first.add(call("acme", ids.get(1), "in_progress", null, null));
        assertThat(store.write(first)).containsOnly(WriteOutcome.STORED);

        List<Event> again = new ArrayList<>();
        ids.forEach(id -> again.add(llm("acme", id)));
        again.add(llm("globex", ids.get(0)));
        again.add(call("acme", ids.get(1), "completed", TIME_MS + 60_000, 60_000L));
        again.add(llm("globex", ids.get(1)));
        List<WriteOutcome> outcomes = store.write(again);

        assertThat(outcomes.subList(0, ids.size() + 1)).containsOnly(WriteOutcome.DUPLICATE);
        assertThat(outcomes.subList(ids.size() + 1, outcomes.size()))
                .containsExactly(WriteOutcome.UPDATED, WriteOutcome.STORED);
        assertThat(count("events", "acme")).isEqualTo(ids.size());
        assertThat(count("events", "globex")).isEqualTo(2);
        assertThat(callRows("acme", ids.get(1))).hasSize(1);
    }

    @Test
    void newCallIsStored() {
        assertThat(store.write(List.of(call("acme", "c1", "in_progress", null, null))))
                .containsExactly(WriteOutcome.STORED);
        assertThat(count("calls", "acme")).isEqualTo(1);
        assertThat(count("events", "acme")).isZero();
    }

    @Test
    void newerCallStateReplacesTheOlder() {
        store.write(List.of(call("acme", "c1", "in_progress", null, null)));

        List<WriteOutcome> outcomes = store.write(List.of(call("acme", "c1", "completed", TIME_MS + 90_000, 90_000L)));

        assertThat(outcomes).containsExactly(WriteOutcome.UPDATED);
        List<Row> rows = callRows("acme", "c1");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).string("status")).isEqualTo("completed");
        assertThat(rows.get(0).longValue("ended_ms")).isEqualTo(TIME_MS + 90_000);
        assertThat(rows.get(0).longValue("duration_ms")).isEqualTo(90_000);
    }

    @Test
    void inProgressAfterCompletedIsStale() {
        store.write(List.of(call("acme", "c1", "completed", TIME_MS + 90_000, 90_000L)));

        List<WriteOutcome> outcomes = store.write(List.of(call("acme", "c1", "in_progress", null, null)));

        assertThat(outcomes).containsExactly(WriteOutcome.STALE);
        List<Row> rows = callRows("acme", "c1");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).string("status")).isEqualTo("completed");
        assertThat(rows.get(0).longValue("duration_ms")).isEqualTo(90_000);
    }

    @Test
    void callStatesInsideOneBatchApplyInOrder() {
        List<WriteOutcome> outcomes = store.write(List.of(
                call("acme", "c1", "in_progress", null, null),
                call("acme", "c1", "failed", TIME_MS + 5_000, 5_000L),
                call("acme", "c1", "in_progress", null, null)));

        assertThat(outcomes).containsExactly(WriteOutcome.STORED, WriteOutcome.UPDATED, WriteOutcome.STALE);
        List<Row> rows = callRows("acme", "c1");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).string("status")).isEqualTo("failed");
    }

    @Test
    void everyColumnRoundTrips() {
        Event event = fullEvent();
        store.write(List.of(event));

        // the contract's columns: a store may keep its own beside them (ClickHouse's version and tombstone flag)
        String columns = String.join(", ", EventColumns.ALL.stream().map(EventColumn::name).toList());
        List<Row> rows = store.query(new SqlBuilder().append("SELECT " + columns + " FROM " + store.rows(RawTable.EVENTS)
                + "tenant_id = ").value("acme").append(" AND id = ").value("full-1").build());

        assertThat(rows).hasSize(1);
        Row row = rows.get(0);
        Map<String, Object> expected = expectedFullRow();
        assertThat(row.asMap().keySet()).as("every column of EventColumns is checked")
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (EventColumn column : EventColumns.ALL) {
            assertThat(normalised(row, column)).as(column.name()).isEqualTo(expected.get(column.name()));
        }
    }

    /**
     * The edge rejects control characters and out-of-range numbers, but a store must not depend on
     * it: whatever text and whatever number an event holds comes back exactly, NULL apart from "",
     * column by column. Random events, a fixed seed, every event type the raw table holds.
     */
    @Test
    void hostileTextAndTheContractsExtremeNumbersComeBackExactly() {
        Random random = new Random(18);
        List<Event> events = new ArrayList<>();
        for (int index = 0; index < 300; index++) {
            events.add(hostileEvent(random, index));
        }
        assertThat(store.write(events)).containsOnly(WriteOutcome.STORED);

        String columns = String.join(", ", EventColumns.ALL.stream().map(EventColumn::name).toList());
        Map<String, Row> stored = new LinkedHashMap<>();
        store.query(new SqlBuilder().append("SELECT " + columns + " FROM " + store.rows(RawTable.EVENTS)
                + "tenant_id = ").value("acme").build()).forEach(row -> stored.put(row.string("id"), row));
        assertThat(stored).hasSize(events.size());
        for (Event event : events) {
            Row row = stored.get(event.id);
            assertThat(row).as(event.id).isNotNull();
            for (EventColumn column : EventColumns.ALL) {
                Object expected = column.read(event);
                Object written = expected instanceof Number number ? (Object) number.longValue() : expected;
                assertThat(normalised(row, column)).as("%s of %s", column.name(), event.id).isEqualTo(written);
            }
        }
    }

    private static final List<String> HOSTILE_TEXT = List.of("", "\u0000", "a\u0000b", "\u0001\u0002\u001f\u007f",
            "tab\there", "line\nbreak\r\n", "quote'single", "quote\"double", "back\\slash\\", "\\N", "NULL", "null",
            "\uD83D\uDE00 astral \uD834\uDD1E", "e\u0301 combining", "\uFEFFbom", "'); DROP TABLE events; --",
            " spaced ", "\u4e2d\u6587", "\u2028\u2029", "{\"json\":[1,2]}", "comma,(paren)|pipe", "%s%n${x}");

    private static String hostileText(Random random) {
        int pieces = 1 + random.nextInt(3);
        StringBuilder text = new StringBuilder();
        for (int piece = 0; piece < pieces; piece++) {
            text.append(HOSTILE_TEXT.get(random.nextInt(HOSTILE_TEXT.size())));
        }
        if (random.nextInt(20) == 0) {
            text.append("x".repeat(4_000));
        }
        return text.toString();
    }

    /** NULL a third of the time, else hostile text (the empty string among it). */
    private static String maybeText(Random random) {
        return random.nextInt(3) == 0 ? null : hostileText(random);
    }

    /** 0, 1, the contract's bound, or anything between. */
    private static long upTo(Random random, long bound) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> bound;
            default -> (long) (random.nextDouble() * bound);
        };
    }

    private static Event hostileEvent(Random random, int index) {
        long tokens = 1_000_000_000_000L;
        // a single event's cost is at most 1,000,000 USD, in nanos
        long costNanos = 1_000_000_000_000_000L;
        // 2000-01-01, the earliest time the contract takes, or within a day of TIME_MS: a few months'
        // partitions, not one per event (reading hundreds of partitions at once is another matter)
        long earliest = 946_684_800_000L;
        List<EventType> types = List.of(EventType.LLM, EventType.STT, EventType.TTS, EventType.SMS, EventType.CHAT,
                EventType.MESSAGE, EventType.FEE);
        Event event = new Event();
        event.tenantId = "acme";
        event.id = index + ":" + hostileText(random);
        event.type = types.get(random.nextInt(types.size()));
        event.timeMs = random.nextInt(4) == 0 ? earliest : TIME_MS - 86_400_000L + upTo(random, 2 * 86_400_000L);
        event.agentId = maybeText(random);
        event.userEmail = maybeText(random);
        event.memberId = maybeText(random);
        event.attributes = random.nextBoolean() ? null : Map.of(hostileText(random), hostileText(random));
        event.status = maybeText(random);
        event.direction = maybeText(random);
        event.phoneNumber = maybeText(random);
        event.endedMs = random.nextBoolean() ? null : event.timeMs + upTo(random, 86_400_000L);
        event.durationMs = random.nextBoolean() ? null : upTo(random, 86_400_000L);
        event.sentiment = maybeText(random);
        event.endReason = maybeText(random);
        event.provider = maybeText(random);
        event.model = maybeText(random);
        event.kind = maybeText(random);
        event.callId = maybeText(random);
        event.chatId = maybeText(random);
        event.exception = maybeText(random);
        event.opName = maybeText(random);
        event.traceId = maybeText(random);
        event.parentId = maybeText(random);
        event.threadId = maybeText(random);
        event.turnId = maybeText(random);
        event.runId = maybeText(random);
        event.inputTokens = upTo(random, tokens);
        event.cachedInputTokens = upTo(random, tokens);
        event.cacheCreationInputTokens = upTo(random, tokens);
        event.outputTokens = upTo(random, tokens);
        event.inputAudioTokens = upTo(random, tokens);
        event.outputAudioTokens = upTo(random, tokens);
        event.characters = random.nextBoolean() ? null : upTo(random, tokens);
        event.audioDurationMs = random.nextBoolean() ? null : upTo(random, tokens);
        event.encoding = maybeText(random);
        event.segments = random.nextBoolean() ? null : (int) upTo(random, Integer.MAX_VALUE);
        event.body = maybeText(random);
        event.role = maybeText(random);
        event.channel = maybeText(random);
        event.costNanos = upTo(random, costNanos);
        event.costSource = CostSource.values()[random.nextInt(CostSource.values().length)];
        event.inputCostNanos = upTo(random, costNanos);
        event.outputCostNanos = upTo(random, costNanos);
        event.creditsMicros = upTo(random, 1_000_000_000_000L);
        event.receivedMs = event.timeMs + upTo(random, 86_400_000L);
        event.revision = upTo(random, Integer.MAX_VALUE);
        event.reportedTotalCostNanos = random.nextBoolean() ? null : upTo(random, costNanos);
        event.carrierSegments = random.nextBoolean() ? null : upTo(random, tokens);
        event.quantityMicros = random.nextBoolean() ? null : upTo(random, tokens);
        event.unit = maybeText(random);
        return event;
    }

    @Test
    void failedBatchStoresNothingAndCanBeWrittenAfterwards() {
        Event broken = llm("acme", "broken");
        broken.type = null;
        List<Event> batch = List.of(llm("acme", "a"), call("acme", "c1", "in_progress", null, null), broken,
                llm("acme", "b"));

        assertThatThrownBy(() -> store.write(batch)).isInstanceOf(RuntimeException.class);

        assertThat(count("events", "acme")).isZero();
        assertThat(count("calls", "acme")).isZero();
        List<WriteOutcome> outcomes = store.write(List.of(llm("acme", "a"), call("acme", "c1", "in_progress", null, null),
                llm("acme", "b")));
        assertThat(outcomes).containsExactly(WriteOutcome.STORED, WriteOutcome.STORED, WriteOutcome.STORED);
        assertThat(count("events", "acme")).isEqualTo(2);
        assertThat(count("calls", "acme")).isEqualTo(1);
    }

    @Test
    void queryReturnsTypedRows() {
        Event first = llm("acme", "e1");
        first.inputTokens = 1_000;
        first.costNanos = 4_000_000_000L;
        Event second = llm("acme", "e2");
        second.inputTokens = 3_000;
        second.costNanos = 5_000_000_000L;
        store.write(List.of(first, second));

        List<Row> rows = store.query(new SqlBuilder()
                .append("SELECT count(*) AS events, sum(input_tokens) AS tokens, sum(cost_nanos) AS cost,")
                .append(" avg(input_tokens) AS average, max(model) AS model, max(sentiment) AS sentiment")
                .append(" FROM " + store.rows(RawTable.EVENTS) + "tenant_id = ").value("acme").build());

        assertThat(rows).hasSize(1);
        Row row = rows.get(0);
        assertThat(row.longValue("events")).isEqualTo(2);
        assertThat(row.longValue("tokens")).isEqualTo(4_000);
        assertThat(row.longValue("cost")).isEqualTo(9_000_000_000L);
        assertThat(row.doubleOrNull("average")).isEqualTo(2_000.0);
        assertThat(row.string("model")).isEqualTo("gpt-4o-mini");
        assertThat(row.string("sentiment")).isNull();
    }

    @Test
    void queryOverNoRowsIsEmpty() {
        assertThat(store.query(new SqlBuilder().append("SELECT id FROM " + store.rows(RawTable.EVENTS) + "tenant_id = ")
                .value("nobody").build())).isEmpty();
    }

    @Test
    void aFeeIsStoredOnceWithItsKindQuantityAndReportedCost() {
        Event fee = fullEvent();
        fee.id = "fee-1";
        fee.type = EventType.FEE;
        fee.kind = "analysis";

        assertThat(store.write(List.of(fee))).containsExactly(WriteOutcome.STORED);
        assertThat(store.write(List.of(fee.copy()))).containsExactly(WriteOutcome.DUPLICATE);

        List<Row> rows = store.query(new SqlBuilder().append("SELECT * FROM " + store.rows(RawTable.EVENTS)
                + "tenant_id = ").value("acme").append(" AND type = ").value("fee").build());
        assertThat(rows).hasSize(1);
        Row row = rows.get(0);
        assertThat(List.of(row.string("id"), row.string("kind"), row.string("call_id"), row.string("unit"),
                row.string("cost_source"))).containsExactly("fee-1", "analysis", "call-9", "minute", "reported");
        assertThat(List.of(row.longValue("cost_nanos"), row.longValue("quantity_micros"), row.longValue("revision")))
                .containsExactly(123_456_789L, 3_500_000L, 4L);
    }

    @Test
    void aHigherRevisionReplacesTheStoredEventEvenAtAnotherTime() {
        store.write(List.of(llm("acme", "e1"), llm("acme", "e2")));
        Event corrected = llm("acme", "e1");
        corrected.revision = 2;
        corrected.timeMs = TIME_MS + 26 * 3_600_000L;
        corrected.outputTokens = 77;

        assertThat(store.write(List.of(corrected))).containsExactly(WriteOutcome.UPDATED);

        List<Row> rows = eventRows("acme", "e1");
        assertThat(rows).hasSize(1);
        assertThat(List.of(rows.get(0).longValue("time_ms"), rows.get(0).longValue("output_tokens"),
                rows.get(0).longValue("revision"))).containsExactly(corrected.timeMs, 77L, 2L);
        assertThat(count("events", "acme")).isEqualTo(2);

        // back at the first time, a higher revision still: the row there is live again, the other covered
        Event back = llm("acme", "e1");
        back.revision = 3;
        assertThat(store.write(List.of(back))).containsExactly(WriteOutcome.UPDATED);
        assertThat(eventRows("acme", "e1")).singleElement()
                .satisfies(row -> assertThat(row.longValue("time_ms")).isEqualTo(TIME_MS))
                .satisfies(row -> assertThat(row.longValue("revision")).isEqualTo(3L));
    }

    @Test
    void anEqualRevisionIsADuplicateALowerOneStaleAndAnotherTypeRejected() {
        Event stored = llm("acme", "e1");
        stored.revision = 2;
        store.write(List.of(stored));
        Event equal = revised("acme", "e1", 2, 5);
        Event lower = revised("acme", "e1", 1, 6);
        Event otherType = llm("acme", "e1");
        otherType.revision = 3;
        otherType.type = EventType.SMS;

        assertThat(store.write(List.of(equal, lower, otherType))).containsExactly(WriteOutcome.DUPLICATE,
                WriteOutcome.STALE_REVISION, WriteOutcome.TYPE_CHANGED);
        assertThat(eventRows("acme", "e1")).singleElement()
                .satisfies(row -> assertThat(row.longValue("output_tokens")).isZero())
                .satisfies(row -> assertThat(row.string("type")).isEqualTo("llm"));
    }

    @Test
    void aCallCorrectionReplacesAFinalStatus() {
        store.write(List.of(call("acme", "c1", "completed", TIME_MS + 90_000, 90_000L)));
        Event reopened = call("acme", "c1", "in_progress", null, null);
        reopened.revision = 1;
        Event older = call("acme", "c1", "failed", TIME_MS + 5_000, 5_000L);

        assertThat(store.write(List.of(reopened, older))).containsExactly(WriteOutcome.UPDATED,
                WriteOutcome.STALE_REVISION);
        assertThat(callRows("acme", "c1")).singleElement()
                .satisfies(row -> assertThat(row.string("status")).isEqualTo("in_progress"));
    }

    /**
     * Tenants holding the same ids, corrected in one batch (a store may look them up together):
     * each correction replaces its own tenant's event only, one tenant's events far back in time
     * are found as well, and the events no correction names keep their rows.
     */
    @Test
    void correctionsOfTheSameIdsInSeveralTenantsReplaceEachTenantsOwnEvent() {
        long daysBack = 10 * 86_400_000L;
        List<Event> stored = new java.util.ArrayList<>();
        for (String tenant : List.of("acme", "globex")) {
            for (String id : List.of("e1", "e2")) {
                Event event = llm(tenant, id);
                event.outputTokens = tenant.equals("acme") ? 10 : 20;
                stored.add(event);
            }
        }
        Event initech = llm("initech", "e1");
        initech.outputTokens = 30;
        initech.timeMs = TIME_MS - daysBack;
        stored.addAll(List.of(initech, call("acme", "c1", "in_progress", null, null),
                call("globex", "c1", "in_progress", null, null)));
        store.write(stored);

        Event acmeCorrected = revised("acme", "e1", 1, 11);
        Event globexCorrected = revised("globex", "e2", 1, 22);
        Event initechCorrected = revised("initech", "e1", 1, 33);
        initechCorrected.timeMs = TIME_MS - daysBack;
        Event globexEnded = call("globex", "c1", "completed", TIME_MS + 60_000, 60_000L);
        assertThat(store.write(List.of(acmeCorrected, globexCorrected, initechCorrected, globexEnded)))
                .containsOnly(WriteOutcome.UPDATED);

        assertThat(List.of(List.of("acme", "e1"), List.of("acme", "e2"), List.of("globex", "e1"), List.of("globex", "e2"),
                List.of("initech", "e1")).stream().map(key -> eventRows(key.get(0), key.get(1)).stream()
                        .map(row -> List.of(row.longValue("output_tokens"), row.longValue("revision"))).toList()))
                .containsExactly(List.of(List.of(11L, 1L)), List.of(List.of(10L, 0L)), List.of(List.of(20L, 0L)),
                        List.of(List.of(22L, 1L)), List.of(List.of(33L, 1L)));
        assertThat(callRows("acme", "c1")).singleElement()
                .satisfies(row -> assertThat(row.string("status")).isEqualTo("in_progress"));
        assertThat(callRows("globex", "c1")).singleElement()
                .satisfies(row -> assertThat(row.string("status")).isEqualTo("completed"));
    }

    // fixtures

    /** {@link #llm} at a revision, with its output tokens told apart from the other revisions'. */
    private static Event revised(String tenantId, String id, long revision, long outputTokens) {
        Event event = llm(tenantId, id);
        event.revision = revision;
        event.outputTokens = outputTokens;
        return event;
    }

    /** An LLM event at {@link #TIME_MS}; other store tests build their batches from it too. */
    public static Event llm(String tenantId, String id) {
        Event event = new Event();
        event.tenantId = tenantId;
        event.id = id;
        event.type = EventType.LLM;
        event.timeMs = TIME_MS;
        event.provider = "openai";
        event.model = "gpt-4o-mini";
        event.costSource = CostSource.COMPUTED;
        event.receivedMs = TIME_MS + 1_000;
        return event;
    }

    public static Event call(String tenantId, String id, String status, Long endedMs, Long durationMs) {
        Event event = new Event();
        event.tenantId = tenantId;
        event.id = id;
        event.type = EventType.CALL;
        event.timeMs = TIME_MS;
        event.status = status;
        event.endedMs = endedMs;
        event.durationMs = durationMs;
        event.receivedMs = TIME_MS + 1_000;
        return event;
    }

    protected long count(String table, String tenantId) {
        return store.query(new SqlBuilder().append("SELECT count(*) AS n FROM " + StoredEvents.reference(store, table) + "tenant_id = ")
                .value(tenantId).build()).get(0).longValue("n");
    }

    private List<Row> eventRows(String tenantId, String id) {
        return store.query(new SqlBuilder().append("SELECT type, time_ms, output_tokens, revision FROM "
                + store.rows(RawTable.EVENTS) + "tenant_id = ").value(tenantId).append(" AND id = ").value(id).build());
    }

    private List<Row> callRows(String tenantId, String id) {
        return store.query(new SqlBuilder().append("SELECT status, ended_ms, duration_ms FROM " + store.rows(RawTable.CALLS) + "tenant_id = ")
                .value(tenantId).append(" AND id = ").value(id).build());
    }

    /** Every field set to a value of its own, so a column read from the wrong field shows. */
    /** An event with every field set; other store tests reuse it so there is one such fixture. */
    public static Event fullEvent() {
        Event event = new Event();
        event.tenantId = "acme";
        event.id = "full-1";
        event.type = EventType.LLM;
        event.timeMs = TIME_MS;
        event.agentId = "agent-7";
        event.userEmail = "ops@acme.test";
        event.memberId = "member-3";
        event.attributes = Map.of("campaign", "spring");
        event.status = "completed";
        event.direction = "outbound";
        event.phoneNumber = "+14155550100";
        event.endedMs = TIME_MS + 2_500;
        event.durationMs = 2_400L;
        event.sentiment = "positive";
        event.endReason = "hangup";
        event.provider = "openai";
        event.model = "gpt-4o-mini";
        event.kind = "realtime";
        event.callId = "call-9";
        event.chatId = "chat-4";
        event.exception = "timeout";
        event.opName = "answer";
        event.traceId = "trace-1";
        event.parentId = "span-0";
        event.threadId = "thread-2";
        event.turnId = "turn-5";
        event.runId = "run-6";
        event.inputTokens = 1_001;
        event.cachedInputTokens = 402;
        event.cacheCreationInputTokens = 303;
        event.outputTokens = 504;
        event.inputAudioTokens = 605;
        event.outputAudioTokens = 706;
        event.characters = 807L;
        event.audioDurationMs = 9_080L;
        event.encoding = "ucs2";
        event.segments = 13;
        event.body = "hello";
        event.role = "assistant";
        event.channel = "web";
        event.costNanos = 123_456_789L;
        event.costSource = CostSource.REPORTED;
        event.inputCostNanos = 23_456_789L;
        event.outputCostNanos = 100_000_000L;
        event.creditsMicros = 4_242L;
        event.receivedMs = TIME_MS + 60_000;
        event.revision = 4;
        event.reportedTotalCostNanos = 987_654_321L;
        event.carrierSegments = 14L;
        event.quantityMicros = 3_500_000L;
        event.unit = "minute";
        return event;
    }

    private static Map<String, Object> expectedFullRow() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("tenant_id", "acme");
        row.put("id", "full-1");
        row.put("id_hash", IdFingerprint.of("acme", "full-1"));
        row.put("type", "llm");
        row.put("time_ms", TIME_MS);
        row.put("agent_id", "agent-7");
        row.put("user_email", "ops@acme.test");
        row.put("member_id", "member-3");
        row.put("attributes", "{\"campaign\":\"spring\"}");
        row.put("status", "completed");
        row.put("direction", "outbound");
        row.put("phone_number", "+14155550100");
        row.put("ended_ms", TIME_MS + 2_500);
        row.put("duration_ms", 2_400L);
        row.put("sentiment", "positive");
        row.put("end_reason", "hangup");
        row.put("provider", "openai");
        row.put("model", "gpt-4o-mini");
        row.put("kind", "realtime");
        row.put("call_id", "call-9");
        row.put("chat_id", "chat-4");
        row.put("exception", "timeout");
        row.put("op_name", "answer");
        row.put("trace_id", "trace-1");
        row.put("parent_id", "span-0");
        row.put("thread_id", "thread-2");
        row.put("turn_id", "turn-5");
        row.put("run_id", "run-6");
        row.put("input_tokens", 1_001L);
        row.put("cached_input_tokens", 402L);
        row.put("cache_creation_input_tokens", 303L);
        row.put("output_tokens", 504L);
        row.put("input_audio_tokens", 605L);
        row.put("output_audio_tokens", 706L);
        row.put("characters", 807L);
        row.put("audio_duration_ms", 9_080L);
        row.put("encoding", "ucs2");
        row.put("segments", 13L);
        row.put("body", "hello");
        row.put("role", "assistant");
        row.put("channel", "web");
        row.put("cost_nanos", 123_456_789L);
        row.put("cost_source", "reported");
        row.put("input_cost_nanos", 23_456_789L);
        row.put("output_cost_nanos", 100_000_000L);
        row.put("credits_micros", 4_242L);
        row.put("received_ms", TIME_MS + 60_000);
        row.put("revision", 4L);
        row.put("reported_total_cost_nanos", 987_654_321L);
        row.put("carrier_segments", 14L);
        row.put("quantity_micros", 3_500_000L);
        row.put("unit", "minute");
        return row;
    }

    /** Reads a column through {@link Row} as reports do, so engines that return other Java types compare equal. */
    private static Object normalised(Row row, EventColumn column) {
        if (row.get(column.name()) == null) {
            return null;
        }
        return switch (column.kind()) {
            case STRING -> row.string(column.name());
            case LONG, INTEGER -> row.longValue(column.name());
        };
    }
}
