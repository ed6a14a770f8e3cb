package dev.tally.report.usage;

import dev.tally.event.EventType;
import dev.tally.report.DateRange;
import dev.tally.store.EventStore;
import dev.tally.store.Row;
import dev.tally.store.SqlBuilder;
import dev.tally.store.rollup.MemberUsageRollup;

/**
 * Computes one member's usage. A message or an LLM request belongs to the member when it names
 * the member, or when it happened in a chat the member owns (whenever that chat was created), so
 * an assistant's replies and their cost count for the chat's owner. Work in no member's chat and
 * naming no member (routines, agent-only work) belongs to no one.
 *
 * <p>A store that maintains rollups resolves that attribution when it stores the events, so the
 * report sums the member's rows of {@link MemberUsageRollup} over the range's days: its cost
 * follows the number of days, not of events. Other stores answer from the raw events.
 */
public final class MemberUsageQuery {
    private final EventStore store;

    public MemberUsageQuery(EventStore store) {
        this.store = store;
    }

    public MemberUsageReport run(String tenantId, String memberId, DateRange range) {
        if (store.maintainsRollups()) {
            return fromRollup(tenantId, memberId, range);
        }
        SqlBuilder chats = new SqlBuilder().append("SELECT count(*) AS amount");
        UsageSql.fromEvents(chats, tenantId, EventType.CHAT, range).append(" AND member_id = ").value(memberId);

        SqlBuilder messages = new SqlBuilder().append("SELECT count(*) AS amount");
        attributed(UsageSql.fromEvents(messages, tenantId, EventType.MESSAGE, range), tenantId, memberId);

        SqlBuilder credits = new SqlBuilder().append("SELECT sum(credits_micros) AS amount");
        attributed(UsageSql.fromEvents(credits, tenantId, EventType.LLM, range), tenantId, memberId);

        return new MemberUsageReport(memberId, range.from(), range.to(), amount(chats), amount(messages),
                Decimals.credits(amount(credits)));
    }

    private MemberUsageReport fromRollup(String tenantId, String memberId, DateRange range) {
        SqlBuilder sql = new SqlBuilder().append("SELECT sum(chats) AS chats, sum(messages) AS messages,"
                + " sum(credits_micros) AS credits");
        UsageSql.fromRollup(sql, MemberUsageRollup.TABLE, tenantId, null, range)
                .append(" AND member_id = ").value(memberId);
        Row sums = store.query(sql.build()).get(0);
        return new MemberUsageReport(memberId, range.from(), range.to(), sums.longValue("chats"),
                sums.longValue("messages"), Decimals.credits(sums.longValue("credits")));
    }

    private static void attributed(SqlBuilder sql, String tenantId, String memberId) {
        sql.append(" AND (member_id = ").value(memberId)
                .append(" OR chat_id IN (SELECT id FROM events WHERE tenant_id = ").value(tenantId)
                .append(" AND type = ").value(EventType.CHAT.wireName())
                .append(" AND member_id = ").value(memberId).append("))");
    }

    private long amount(SqlBuilder sql) {
        return store.query(sql.build()).get(0).longValue("amount");
    }
}
