package dev.tally.report.usage;

import dev.tally.event.EventType;
import dev.tally.store.ReportStore;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Lists the members seen in a tenant's events (calls included), with first and last sighting and chat activity. */
public final class MemberListQuery {
    private final ReportStore store;

    public MemberListQuery(ReportStore store) {
        this.store = store;
    }

    public MemberList run(String tenantId) {
        String events = store.rows(RawTable.EVENTS);
        Map<String, Long> chats = countsByMember(new SqlBuilder()
                .append("SELECT member_id, count(*) AS amount FROM " + events + "tenant_id = ").value(tenantId)
                .append(" AND type = ").value(EventType.CHAT.wireName())
                .append(" AND member_id IS NOT NULL GROUP BY member_id"));
        Map<String, Long> messages = countsByMember(messages(tenantId));
        SqlBuilder seen = new SqlBuilder().append("SELECT member_id, min(time_ms) AS first_ms, max(time_ms) AS last_ms"
                + " FROM (SELECT member_id, time_ms FROM " + events + "tenant_id = ").value(tenantId)
                .append(" AND member_id IS NOT NULL UNION ALL SELECT member_id, time_ms FROM "
                        + store.rows(RawTable.CALLS) + "tenant_id = ")
                .value(tenantId)
                .append(" AND member_id IS NOT NULL) AS sightings GROUP BY member_id ORDER BY member_id");
        List<MemberList.Member> members = store.query(seen.build()).stream()
                .map(row -> {
                    String member = row.string("member_id");
                    return new MemberList.Member(member, Instant.ofEpochMilli(row.longValue("first_ms")),
                            Instant.ofEpochMilli(row.longValue("last_ms")), chats.getOrDefault(member, 0L),
                            messages.getOrDefault(member, 0L));
                })
                .toList();
        return new MemberList(members);
    }

    /**
     * Messages per member: those naming the member plus those in the member's chats. Distinct ids,
     * because a message can be both and must count once. The chat owner is joined through two
     * subqueries and {@code USING}: ClickHouse 18 cannot name a joined table's columns by alias.
     */
    private SqlBuilder messages(String tenantId) {
        String message = EventType.MESSAGE.wireName();
        String events = store.rows(RawTable.EVENTS);
        return new SqlBuilder()
                .append("SELECT member_id, " + store.dialect().countDistinct("message_id") + " AS amount FROM (")
                .append("SELECT member_id, id AS message_id FROM " + events + "tenant_id = ").value(tenantId)
                .append(" AND type = ").value(message).append(" AND member_id IS NOT NULL")
                .append(" UNION ALL SELECT owner_id AS member_id, message_id")
                .append(" FROM (SELECT id AS message_id, chat_id FROM " + events + "tenant_id = ").value(tenantId)
                .append(" AND type = ").value(message).append(" AND chat_id IS NOT NULL) AS chat_message")
                .append(" JOIN (SELECT id AS chat_id, member_id AS owner_id FROM " + events + "tenant_id = ").value(tenantId)
                .append(" AND type = ").value(EventType.CHAT.wireName())
                .append(" AND member_id IS NOT NULL) AS owned_chat USING (chat_id)) AS attributed GROUP BY member_id");
    }

    private Map<String, Long> countsByMember(SqlBuilder sql) {
        Map<String, Long> counts = new HashMap<>();
        for (Row row : store.query(sql.build())) {
            counts.put(row.string("member_id"), row.longValue("amount"));
        }
        return counts;
    }
}
