package dev.tally.store.duckdb;

import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.ingest.dedup.IdFingerprint;
import dev.tally.ingest.dedup.LongHashSet;
import dev.tally.store.rollup.MemberUsageRollup;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Resolves, in the writer, which members each new message and LLM request counts for, so the
 * member usage rollup can be appended in the same transaction as the events.
 *
 * <p>The owner of a chat comes from {@link ChatOwners}. Events may arrive before their chat (a
 * client sends in any order), so the chat ids that stored events referenced while their chat was
 * unknown are remembered as fingerprints ({@link #waiting}); when a chat arrives whose fingerprint
 * is among them, one query by its real id finds those earlier events and credits them to the new
 * owner. A fingerprint that matched only by collision finds nothing, so it costs that query and
 * nothing else. In the common case (chat known, or not waited for) a batch runs no query at all.
 *
 * <p>Both structures change only after the write commits, like the store's id fingerprints, so a
 * failed batch leaves no trace.
 */
final class MemberAttribution {
    private final ChatOwners owners;
    /** Fingerprints of chat ids referenced by stored messages or LLM requests while that chat was not stored. */
    private final LongHashSet waiting;

    private MemberAttribution(ChatOwners owners, LongHashSet waiting) {
        this.owners = owners;
        this.waiting = waiting;
    }

    /** The owners of the stored chats and the chat ids stored events wait for, read from the events table. */
    static MemberAttribution load(Connection connection) throws SQLException {
        ChatOwners owners;
        try (Statement statement = connection.createStatement()) {
            long chats;
            try (ResultSet result = statement.executeQuery("SELECT count(*) FROM events WHERE type = 'chat'")) {
                result.next();
                chats = result.getLong(1);
            }
            owners = new ChatOwners((int) Math.min(Integer.MAX_VALUE / 4, Math.max(1024, chats)));
            try (ResultSet result = statement.executeQuery(
                    "SELECT tenant_id, id, id_hash, member_id FROM events WHERE type = 'chat'")) {
                while (result.next()) {
                    owners.put(result.getLong(3), ChatOwners.check(result.getString(1), result.getString(2)),
                            result.getString(4));
                }
            }
        }
        LongHashSet waiting = new LongHashSet(1024);
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("""
                     SELECT DISTINCT tenant_id, chat_id FROM events referencing
                     WHERE type IN ('message', 'llm') AND chat_id IS NOT NULL
                       AND NOT EXISTS (SELECT 1 FROM events chat WHERE chat.type = 'chat'
                         AND chat.tenant_id = referencing.tenant_id AND chat.id = referencing.chat_id)""")) {
            while (result.next()) {
                waiting.add(IdFingerprint.of(result.getString(1), result.getString(2)));
            }
        }
        return new MemberAttribution(owners, waiting);
    }

    /** What one write adds: its member rollup deltas, and the chats and waits to remember once it commits. */
    static final class Update {
        final MemberUsageRollup.Deltas deltas = new MemberUsageRollup.Deltas();
        private final List<Object[]> chats = new ArrayList<>();
        private long[] waits = new long[16];
        private int waitCount;

        private void waitFor(long fingerprint) {
            if (waitCount == waits.length) {
                waits = java.util.Arrays.copyOf(waits, waitCount * 2);
            }
            waits[waitCount++] = fingerprint;
        }
    }

    /**
     * Attributes the batch's new events and corrections. Runs in the writer's transaction before
     * they are written, so a late or corrected chat's query sees only what earlier writes stored;
     * the batch's own events find the batch's chats, in any order, through a map by real id. A
     * correction first takes back what the event it replaces was credited, with the owners known
     * before the write, and a chat whose owner changes (a late chat, or a correction naming another
     * member) moves the earlier events of that chat to its new owner.
     *
     * @param fresh    the non-call events this write stores (one per id)
     * @param replaced position by position, the stored event each one replaces, or null
     */
    Update attribute(Connection writer, List<Event> fresh, List<Event> replaced) throws SQLException {
        Update update = new Update();
        Map<String, String> batchChats = null;
        // tenant → chat id → {owner before the write, owner after}
        Map<String, Map<String, String[]>> movedChatsByTenant = null;
        // tenant → ids of the stored events this write replaces: they are taken back and added anew below
        Map<String, Set<String>> replacedIds = null;
        for (int index = 0; index < fresh.size(); index++) {
            Event event = fresh.get(index);
            Event before = replaced.get(index);
            if (before != null) {
                if (before.type == EventType.CHAT) {
                    update.deltas.unchat(before);
                } else if (MemberUsageRollup.attributed(before.type)) {
                    update.deltas.retract(before, ownerBefore(before));
                    if (replacedIds == null) {
                        replacedIds = new HashMap<>();
                    }
                    replacedIds.computeIfAbsent(before.tenantId, tenant -> new HashSet<>()).add(before.id);
                }
            }
            if (event.type != EventType.CHAT) {
                continue;
            }
            update.deltas.chat(event);
            if (batchChats == null) {
                batchChats = new HashMap<>();
            }
            batchChats.put(event.tenantId + '\u0000' + event.id, event.memberId);
            long fingerprint = IdFingerprint.of(event.tenantId, event.id);
            update.chats.add(new Object[] {fingerprint, ChatOwners.check(event.tenantId, event.id), event.memberId});
            boolean moved = before != null ? !Objects.equals(before.memberId, event.memberId)
                    : event.memberId != null && waiting.contains(fingerprint);
            if (moved) {
                if (movedChatsByTenant == null) {
                    movedChatsByTenant = new HashMap<>();
                }
                movedChatsByTenant.computeIfAbsent(event.tenantId, tenant -> new HashMap<>())
                        .put(event.id, new String[] {before == null ? null : before.memberId, event.memberId});
            }
        }
        for (Event event : fresh) {
            if (!MemberUsageRollup.attributed(event.type)) {
                continue;
            }
            String owner = null;
            if (event.chatId != null) {
                String key = event.tenantId + '\u0000' + event.chatId;
                long fingerprint = IdFingerprint.of(event.tenantId, event.chatId);
                long check = ChatOwners.check(event.tenantId, event.chatId);
                if (batchChats != null && batchChats.containsKey(key)) {
                    owner = batchChats.get(key);
                } else if (owners.known(fingerprint, check)) {
                    owner = owners.owner(fingerprint, check);
                } else {
                    update.waitFor(fingerprint);
                }
            }
            update.deltas.attribute(event, owner);
        }
        if (movedChatsByTenant != null) {
            moveEarlierEvents(writer, movedChatsByTenant, replacedIds == null ? Map.of() : replacedIds, update.deltas);
        }
        return update;
    }

    /** The owner a stored event's chat has before this write: the one its credits went to. */
    private String ownerBefore(Event event) {
        if (event.chatId == null) {
            return null;
        }
        return owners.owner(IdFingerprint.of(event.tenantId, event.chatId), ChatOwners.check(event.tenantId, event.chatId));
    }

    /**
     * Moves the stored events of chats whose owner this write changes to their new owner, but for
     * those this write replaces, whose old version is taken back whole.
     */
    private static void moveEarlierEvents(Connection writer, Map<String, Map<String, String[]>> movedChatsByTenant,
            Map<String, Set<String>> replacedIds, MemberUsageRollup.Deltas deltas) throws SQLException {
        for (Map.Entry<String, Map<String, String[]>> tenant : movedChatsByTenant.entrySet()) {
            Map<String, String[]> owners = tenant.getValue();
            Set<String> skipped = replacedIds.getOrDefault(tenant.getKey(), Set.of());
            Sql sql = new SqlBuilder().append("SELECT id, chat_id, type, time_ms, member_id, credits_micros FROM events")
                    .append(" WHERE tenant_id = ").value(tenant.getKey())
                    .append(" AND type IN ('message', 'llm') AND chat_id IN ").values(owners.keySet()).build();
            for (Row row : DuckDbEventStore.run(writer, sql)) {
                if (skipped.contains(row.string("id"))) {
                    continue;
                }
                String[] change = owners.get(row.string("chat_id"));
                deltas.moveOwner(tenant.getKey(), EventType.fromWire(row.string("type")).orElseThrow(),
                        row.longValue("time_ms"), row.longValue("credits_micros"), row.string("member_id"), change[0],
                        change[1]);
            }
        }
    }

    /** After the write committed: its chats are stored, and its events wait for the chats still unknown. */
    void committed(Update update) {
        for (Object[] chat : update.chats) {
            owners.put((Long) chat[0], (Long) chat[1], (String) chat[2]);
        }
        // Waits for chats that this same write stored were never recorded; any left are still unknown.
        for (int index = 0; index < update.waitCount; index++) {
            waiting.add(update.waits[index]);
        }
    }
}
