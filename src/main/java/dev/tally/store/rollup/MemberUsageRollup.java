package dev.tally.store.rollup;

import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The member usage rollup: per (tenant, UTC day, member) the chats the member opened, and the
 * messages and LLM credits attributed to the member.
 *
 * <p>Unlike the tables of {@link Rollups}, a row is not a function of one event: a message or LLM
 * request belongs to the member it names <em>and</em> to the owner of its chat, and the owner is
 * known only from another event (the chat), which may arrive before or after it. So a store feeds
 * this table with attributions it has resolved itself: {@link Deltas#attribute} for each member an
 * event is credited to. One event adds at most one unit per member: the named member and the chat
 * owner count once when they are the same, and each once when they differ, exactly as the raw
 * query's {@code member_id = ? OR chat_id IN (chats of ?)} does.
 */
public final class MemberUsageRollup {
    public static final String TABLE = "rollup_member_usage";
    /** Stored order: the keys, then the sums. */
    public static final List<String> COLUMNS = List.of("tenant_id", "day", "member_id", "chats", "messages",
            "credits_micros");

    private MemberUsageRollup() {
    }

    /** What the member usage report reads: chats opened, messages and LLM credits attributed. */
    public record Totals(long chats, long messages, long creditsMicros) {
    }

    /** The totals from this table: one row per day at most, whatever the number of events. */
    public static Sql readTable(String tenantId, String memberId, long firstDay, long lastDay) {
        return new SqlBuilder().append("SELECT sum(chats) AS chat_count, sum(messages) AS message_count,"
                        + " sum(credits_micros) AS credit_sum FROM " + TABLE + " WHERE tenant_id = ").value(tenantId)
                .append(" AND day >= ").value(firstDay).append(" AND day <= ").value(lastDay)
                .append(" AND member_id = ").value(memberId).build();
    }

    /**
     * The same totals from the raw events, with the attribution this table resolves on write
     * written as SQL: a message or LLM request counts when it names the member or happened in a
     * chat the member opened (whenever that chat was stored).
     */
    public static Sql readRaw(String eventRows, String tenantId, String memberId, long firstDay, long lastDay) {
        return new SqlBuilder().append("SELECT sum(CASE WHEN type = 'chat' THEN 1 ELSE 0 END) AS chat_count,"
                        + " sum(CASE WHEN type = 'message' THEN 1 ELSE 0 END) AS message_count,"
                        + " sum(CASE WHEN type = 'llm' THEN credits_micros ELSE 0 END) AS credit_sum FROM " + eventRows
                        + "tenant_id = ").value(tenantId)
                .append(" AND time_ms >= ").value(firstDay * Rollups.DAY_MS)
                .append(" AND time_ms < ").value((lastDay + 1) * Rollups.DAY_MS)
                .append(" AND ((type = 'chat' AND member_id = ").value(memberId)
                .append(") OR (type IN ('message', 'llm') AND (member_id = ").value(memberId)
                .append(" OR chat_id IN (SELECT id FROM " + eventRows + "tenant_id = ").value(tenantId)
                .append(" AND type = 'chat' AND member_id = ").value(memberId).append("))))").build();
    }

    /**
     * Every attribution of the raw events as a row (tenant_id, slot, member_id, chats, messages,
     * credits_micros), for a store that builds this table from raw rows: chats for the member they
     * name; messages and LLM credits for the member they name and, when another, for their chat's
     * owner. The same rules as {@link Deltas#attribute} and {@link #readRaw}.
     *
     * <p>Owners are joined as a subquery {@code USING (tenant_id, chat_key)}, never by naming a joined
     * table's columns through an alias: ClickHouse 18.16 cannot resolve those.
     *
     * @param events    the raw events table as the store reads it
     * @param rowFilter the condition, starting with {@code AND}, that limits a raw table's rows to the
     *                  scope; given the name the rows are read under
     * @param slot      the name of the time slot column ({@code day}, {@code hour})
     * @param slotOf    the store's expression for the slot of {@code time_ms}
     * @param owners    a relation of chat owners (tenant_id, chat_key, owner_id), one row per distinct
     *                  owner, holding at least the chats the scope's events reference
     */
    public static String attributions(String events, UnaryOperator<String> rowFilter, String slot,
            UnaryOperator<String> slotOf, String owners) {
        String counts = "CASE WHEN type = 'message' THEN 1 ELSE 0 END, CASE WHEN type = 'llm' THEN credits_micros ELSE 0 END";
        return "SELECT tenant_id, " + slotOf.apply("time_ms") + " AS " + slot + ", member_id, 1 AS chats,"
            + " 0 AS messages, 0 AS credits_micros FROM " + events + " WHERE type = 'chat' AND member_id IS NOT NULL"
            + rowFilter.apply(events)
            + " UNION ALL"
            + " SELECT tenant_id, " + slotOf.apply("time_ms") + ", member_id, 0, " + counts
            + " FROM " + events + " WHERE type IN ('message', 'llm') AND member_id IS NOT NULL"
            + rowFilter.apply(events)
            + " UNION ALL"
            + " SELECT tenant_id, " + slotOf.apply("time_ms") + ", owner_id, 0, " + counts
            // the named member under a name of its own, so the outer member_id is the owner's alone
            + " FROM (SELECT tenant_id, time_ms, type, credits_micros, member_id AS named_id, chat_id AS chat_key"
            + " FROM " + events + " WHERE type IN ('message', 'llm') AND chat_id IS NOT NULL"
            + rowFilter.apply(events) + ") AS attributed"
            + " JOIN " + owners + " AS chat_owner USING (tenant_id, chat_key)"
            + " WHERE named_id IS NULL OR named_id <> owner_id";
    }

    /** The owners relation of {@link #attributions} over a raw events table: every chat that names a member. */
    public static String ownersOf(String events) {
        return "(SELECT tenant_id, id AS chat_key, member_id AS owner_id FROM " + events
            + " WHERE type = 'chat' AND member_id IS NOT NULL)";
    }

    /** Reads a row of {@link #readTable} or {@link #readRaw}. */
    public static Totals totals(Row row) {
        return new Totals(row.longValue("chat_count"), row.longValue("message_count"), row.longValue("credit_sum"));
    }

    /** Whether an event of this type is counted for the member it names and for its chat's owner. */
    public static boolean attributed(EventType type) {
        return type == EventType.MESSAGE || type == EventType.LLM;
    }

    /** The delta rows of one write. */
    public static final class Deltas {
        private record Key(String tenantId, long day, String memberId) {
        }

        private final Map<Key, long[]> sums = new HashMap<>();

        /** A chat opened by {@code event.memberId}. */
        public void chat(Event event) {
            if (event.memberId != null) {
                sums(event.tenantId, event.timeMs, event.memberId)[0]++;
            }
        }

        /** Takes back a stored chat that a correction replaces. */
        public void unchat(Event event) {
            if (event.memberId != null) {
                sums(event.tenantId, event.timeMs, event.memberId)[0]--;
            }
        }

        /**
         * Credits a message or an LLM request to its named member and to its chat's owner (either may
         * be null: nobody to credit), once when they are the same member.
         */
        public void attribute(Event event, String chatOwner) {
            attribute(event, chatOwner, 1);
        }

        /**
         * Takes back what {@link #attribute} credited for a stored message or LLM request that a
         * correction replaces, with the owner its chat has before the write.
         */
        public void retract(Event event, String chatOwner) {
            attribute(event, chatOwner, -1);
        }

        private void attribute(Event event, String chatOwner, int sign) {
            if (event.memberId != null) {
                credit(event.tenantId, event.type, event.timeMs, event.creditsMicros, event.memberId, sign);
            }
            if (chatOwner != null && !chatOwner.equals(event.memberId)) {
                credit(event.tenantId, event.type, event.timeMs, event.creditsMicros, chatOwner, sign);
            }
        }

        /**
         * Moves a stored message or LLM request from its chat's former owner to its new one: a chat
         * that arrived after it (no former owner), or a chat corrected to another member. An owner
         * the event names itself was counted as the named member, and stays counted once.
         */
        public void moveOwner(String tenantId, EventType type, long timeMs, long creditsMicros, String namedMember,
                String formerOwner, String chatOwner) {
            if (formerOwner != null && !formerOwner.equals(namedMember)) {
                credit(tenantId, type, timeMs, creditsMicros, formerOwner, -1);
            }
            if (chatOwner != null && !chatOwner.equals(namedMember)) {
                credit(tenantId, type, timeMs, creditsMicros, chatOwner, 1);
            }
        }

        private void credit(String tenantId, EventType type, long timeMs, long creditsMicros, String memberId,
                int sign) {
            long[] values = sums(tenantId, timeMs, memberId);
            switch (type) {
                case MESSAGE -> values[1] += sign;
                case LLM -> values[2] += sign * creditsMicros;
                case CALL, STT, TTS, SMS, CHAT, FEE -> throw new IllegalArgumentException(
                        "only messages and LLM requests are attributed to members, not " + type);
            }
        }

        private long[] sums(String tenantId, long timeMs, String memberId) {
            return sums.computeIfAbsent(new Key(tenantId, Rollups.day(timeMs), memberId), key -> new long[3]);
        }

        public boolean isEmpty() {
            return sums.isEmpty();
        }

        /** Rows in {@link #COLUMNS} order; groups that add nothing (an LLM request of zero credits) are left out. */
        public List<Object[]> rows() {
            List<Object[]> rows = new ArrayList<>(sums.size());
            sums.forEach((key, values) -> {
                if (values[0] != 0 || values[1] != 0 || values[2] != 0) {
                    rows.add(new Object[] {key.tenantId(), key.day(), key.memberId(), values[0], values[1],
                            values[2]});
                }
            });
            return rows;
        }
    }
}
