package dev.tally.store.clickhouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.store.rollup.MemberUsageRollup;
import dev.tally.store.sql.Row;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;

/**
 * What the member usage rollup needs beyond one hour's raw rows: who owns each chat, and which
 * hours hold messages and LLM requests referencing each chat. Both tables are keyed by (tenant,
 * chat id) with small granules, so a batch's lookup reads the granules of its keys whatever the
 * volume, like {@code event_ids}.
 *
 * <p>{@value #OWNERS} is filled by a materialized view on the events table: a chat's owner lands
 * in the very insert that stores the chat, so no stored chat lacks its owner, and no chat that
 * failed to land has one. {@value #REFERENCES} is written by each write before its rows, with its
 * marks: a reference whose event never landed only costs a recomputation.
 *
 * <p>A chat written after its messages changes their hours' member usage, however long ago those
 * were recomputed, so a write holding chats looks up the hours referencing them and marks those
 * hours too, before inserting. Two instances, one writing a message of hour h in chat c, the
 * other writing c, at once:
 * <ul>
 * <li>If the chat's lookup finds (c, h), the chat's writer marks h before inserting c; h is
 *     recomputed only once that mark is {@link ClickHouseRollups#SETTLE_MS} old, and c is in by
 *     then: a write ends within {@link ClickHouseRollups#WRITE_BOUND_MS} of its marks, or marks
 *     again at its end after looking the references up again.</li>
 * <li>If it does not, the message's writer recorded (c, h), and so marked h, after the lookup,
 *     which was within {@code WRITE_BOUND_MS} of c landing: the recomputation of h, at least
 *     {@code SETTLE_MS} after that mark, finds c's owner. A chat writer slower than the bound looks
 *     the references up again once c is in, and marks what it finds then; a message writer slower
 *     than the bound marks h again at its end.</li>
 * </ul>
 * A read in between derives h from raw rows (its newest mark is not covered), resolving owners at
 * the time of the read.
 *
 * <p>Most chats are written before any message names them, so a chat's lookup is made only when
 * the instance's known ids ({@link ClickHouseKnownIds}) may hold the chat's reference
 * {@link #fingerprint}: every recorded reference is loaded into that set, and a write announces
 * the references of its batch with its ids, beside recording them and before its rows (again if its
 * rows land late, as its ids). A chat whose fingerprint the
 * set lacks after its writer caught up at time C had its reference announced after C − {@code
 * WINDOW_MS}, by a write that marked h no earlier than {@code WRITE_BOUND_MS} before that
 * announcement (or again at its end); the chat lands by C + {@code WRITE_BOUND_MS} (or its writer
 * looks every reference up at its end). A recomputation of h waits {@code SETTLE_MS} after the
 * mark, more than {@code 2 × WRITE_BOUND_MS + WINDOW_MS}, so it finds c's owner. An announcement
 * that stays late ({@link ClickHouseKnownIds}) fails its write, so the bound is never assumed
 * for references it does not hold.
 */
final class ClickHouseChatReferences {
    static final String OWNERS = "chat_owners";
    static final String OWNERS_VIEW = "chat_owners_view";
    static final String REFERENCES = "chat_references";
    /** Small granules: a lookup of a batch's chats reads a few rows around each key, not 8192. */
    static final String KEYED = " SETTINGS index_granularity = 256";
    private static final String CHATS = "batch_chats";
    private static final long HOUR_MS = 3_600_000L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ClickHouseHttp http;

    ClickHouseChatReferences(ClickHouseHttp http) {
        this.http = http;
    }

    /**
     * The view's query: every stored chat as an owner row with its revision, the owner empty for a
     * chat naming no member. A corrected chat adds a row; the owner of a chat is that of its highest
     * revision ({@link #owners}), so a correction naming another member, or none, moves its chat.
     */
    static String ownersView(String events) {
        // owner_id, not member_id: an alias of a column's name would stand for the column in WHERE
        return "SELECT tenant_id, id AS chat_id, ifNull(member_id, '') AS owner_id, revision FROM " + events
                + " WHERE type = 'chat' AND " + ClickHouseSchema.LIVE;
    }

    /**
     * The relation (tenant_id, chat_key, owner_id) of the chats with an owner among those the
     * condition selects: the owner of each chat's highest revision, under a name of its own until
     * the outer query, so no aggregate meets an output column of its argument's name. Two owners of
     * one revision (an erased member's row and its copy under the pseudonym, until the erasure
     * removes the first) resolve by the owner id, so every read takes the same one.
     */
    static String owners(String condition) {
        return "(SELECT tenant_id, chat_key, latest_owner AS owner_id FROM (SELECT tenant_id, chat_id AS chat_key,"
                + " argMax(owner_id, (revision, owner_id)) AS latest_owner FROM " + OWNERS + " WHERE " + condition
                + " GROUP BY tenant_id, chat_id) AS latest WHERE latest_owner <> '')";
    }

    /**
     * The hours holding stored messages and LLM requests that reference the batch's chats, looked up
     * in one query with the chats sent as external data. Duplicates count: a retry answered
     * {@code duplicate} may follow a first try whose rows landed after it gave up.
     */
    Set<ClickHouseRollups.TenantHour> hoursReferencing(Collection<Event> events) {
        return hoursReferencing(events, fingerprint -> true);
    }

    /** The same for the chats whose reference {@link #fingerprint} {@code mayBeReferenced} says may be recorded. */
    Set<ClickHouseRollups.TenantHour> hoursReferencing(Collection<Event> events, LongPredicate mayBeReferenced) {
        StringBuilder chats = new StringBuilder();
        for (Event event : events) {
            // a chat naming no member too: as a correction it takes its chat from the former owner
            if (event.type == EventType.CHAT && mayBeReferenced.test(fingerprint(event.tenantId, event.id))) {
                chats.append(MAPPER.createObjectNode().put("tenant_id", event.tenantId).put("chat_id", event.id))
                        .append('\n');
            }
        }
        Set<ClickHouseRollups.TenantHour> hours = new LinkedHashSet<>();
        if (chats.isEmpty()) {
            return hours;
        }
        String select = "SELECT DISTINCT tenant_id, hour FROM " + REFERENCES + " WHERE tenant_id IN (SELECT tenant_id"
                + " FROM " + CHATS + ") AND chat_id IN (SELECT chat_id FROM " + CHATS + ") AND (tenant_id, chat_id) IN"
                + " (SELECT tenant_id, chat_id FROM " + CHATS + ")";
        for (Row row : http.query(select, CHATS, "tenant_id String, chat_id String", chats.toString())) {
            hours.add(new ClickHouseRollups.TenantHour(row.string("tenant_id"), row.longValue("hour")));
        }
        return hours;
    }

    /**
     * The fingerprint of a reference to a chat, kept among the known ids: apart from the chat's own
     * id's (a NUL, which no id holds, begins it), and a collision with another id costs a lookup.
     */
    static long fingerprint(String tenantId, String chatId) {
        return IdFingerprint.of(tenantId, "\0chat\0" + chatId);
    }

    /** The reference fingerprints of the batch's messages and LLM requests, duplicates too (as {@link #record}). */
    static long[] fingerprints(Collection<Event> events) {
        return events.stream().filter(event -> MemberUsageRollup.attributed(event.type) && event.chatId != null)
                .mapToLong(event -> fingerprint(event.tenantId, event.chatId)).distinct().toArray();
    }

    /** How many references are recorded, an upper bound of the fingerprints {@link #loadFingerprints} gives. */
    static long count(ClickHouseHttp http) {
        return http.query("SELECT count() AS n FROM " + REFERENCES).get(0).longValue("n");
    }

    /** Hands on the fingerprint of every chat a recorded reference names. */
    static void loadFingerprints(ClickHouseHttp http, LongConsumer each) {
        // not DISTINCT: the set drops repeats, and the server keeps no set of every chat
        http.queryStringPairs("SELECT tenant_id, chat_id FROM " + REFERENCES,
                (tenantId, chatId) -> each.accept(fingerprint(tenantId, chatId)));
    }

    /** Records the chats the batch's messages and LLM requests reference, by hour; before their rows go in. */
    void record(Collection<Event> events) {
        Set<String> rows = new LinkedHashSet<>();
        for (Event event : events) {
            if (MemberUsageRollup.attributed(event.type) && event.chatId != null) {
                rows.add(MAPPER.createObjectNode().put("tenant_id", event.tenantId).put("chat_id", event.chatId)
                        .put("hour", Math.floorDiv(event.timeMs, HOUR_MS)).toString());
            }
        }
        if (!rows.isEmpty()) {
            http.insert(REFERENCES, String.join("\n", rows) + "\n");
        }
    }

    /**
     * Completes a database written before these tables existed, once: its chats' owners and its
     * references recorded, and the hours that hold chats, messages or LLM requests marked, so the
     * worker builds their member usage (rollup rows of hours the last release recorded have none)
     * and reads derive those hours from raw rows until it has.
     *
     * @param tablesAreNew whether the schema migration just created them; otherwise each step still
     *     runs when its table is empty and the events say it should not be (an open that died half-way)
     */
    void completeExisting(boolean tablesAreNew, long nowMs) {
        if (tablesAreNew || empty(OWNERS) && any("type = 'chat'")) {
            http.executeUpgrade("INSERT INTO " + OWNERS + " " + ownersView("events"));
        }
        String referencing = "type IN ('message', 'llm') AND chat_id IS NOT NULL";
        if (tablesAreNew || empty(REFERENCES) && any(referencing)) {
            http.executeUpgrade("INSERT INTO " + REFERENCES + " SELECT DISTINCT tenant_id, assumeNotNull(chat_id),"
                    + " intDiv(time_ms, " + HOUR_MS + ") FROM events WHERE " + referencing);
        }
        String members = "type IN ('chat', 'message', 'llm')";
        if (tablesAreNew || empty(ClickHouseMemberUsage.TABLE) && !empty(ClickHouseRollups.HOURS) && any(members)) {
            http.executeUpgrade("INSERT INTO " + ClickHouseRollups.MARKS + " SELECT tenant_id, intDiv(time_ms, " + HOUR_MS
                    + ") AS hour, toUInt64(" + nowMs + ") FROM events WHERE " + members + " GROUP BY tenant_id, hour");
        }
    }

    /** Whether the schema migration is about to create these tables (asked before it runs). */
    static boolean missing(ClickHouseHttp http, String database) {
        return http.query("SELECT count() AS n FROM system.tables WHERE database = " + ClickHouseLiterals.string(database)
                + " AND name = " + ClickHouseLiterals.string(REFERENCES)).get(0).longValue("n") == 0;
    }

    private boolean empty(String table) {
        return http.query("SELECT count() AS n FROM " + table).get(0).longValue("n") == 0;
    }

    private boolean any(String condition) {
        // a column, not a constant: 18.16 loses an IS NOT NULL condition under a constant-only SELECT
        return !http.query("SELECT tenant_id FROM events WHERE " + condition + " LIMIT 1").isEmpty();
    }
}
