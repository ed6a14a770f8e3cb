package dev.tally.store.rollup;

import dev.tally.event.Event;
import dev.tally.event.EventType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

        /**
         * Credits a message or an LLM request to its named member and to its chat's owner (either may
         * be null: nobody to credit), once when they are the same member.
         */
        public void attribute(Event event, String chatOwner) {
            if (event.memberId != null) {
                credit(event.tenantId, event.type, event.timeMs, event.creditsMicros, event.memberId);
            }
            if (chatOwner != null && !chatOwner.equals(event.memberId)) {
                credit(event.tenantId, event.type, event.timeMs, event.creditsMicros, chatOwner);
            }
        }

        /**
         * Credits a stored message or LLM request to the owner of a chat that arrived after it; nothing
         * when the event names the owner already, as it was counted for them when it was stored.
         */
        public void creditOwnerLate(String tenantId, EventType type, long timeMs, long creditsMicros,
                String namedMember, String chatOwner) {
            if (!Objects.equals(chatOwner, namedMember)) {
                credit(tenantId, type, timeMs, creditsMicros, chatOwner);
            }
        }

        private void credit(String tenantId, EventType type, long timeMs, long creditsMicros, String memberId) {
            long[] values = sums(tenantId, timeMs, memberId);
            switch (type) {
                case MESSAGE -> values[1]++;
                case LLM -> values[2] += creditsMicros;
                case CALL, STT, TTS, SMS, CHAT -> throw new IllegalArgumentException(
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
