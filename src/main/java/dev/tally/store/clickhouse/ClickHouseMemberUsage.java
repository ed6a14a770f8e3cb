package dev.tally.store.clickhouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.store.rollup.MemberUsageRollup;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import java.util.List;

/**
 * The member usage rollup as ClickHouse keeps it: {@link MemberUsageRollup}'s attributions by
 * (tenant, hour, member), stored and read like the other rollups ({@link ClickHouseRollups}), each
 * hour recomputed from its raw rows with the owners of the chats they reference looked up in
 * {@link ClickHouseChatReferences#OWNERS}.
 *
 * <p>An hour's rows depend on chats of other hours, which {@code rollup_marks} alone would not
 * announce: a chat written after its messages' hour was recomputed changes that hour. Writes mark
 * those hours too ({@link ClickHouseChatReferences}), so the rule that an hour is read from its
 * rollup rows only while they cover its newest mark holds here as well.
 */
final class ClickHouseMemberUsage {
    static final String TABLE = MemberUsageRollup.TABLE;
    /** Sorted by member first: a report asks one member's hours, not every member's. */
    static final String COLUMNS = "tenant_id String, hour Int64, generation Int64, member_id String, chats Int64,"
            + " messages Int64, credits_micros Int64";
    static final String ORDER = "ORDER BY (tenant_id, member_id, hour, generation)";
    private static final long HOUR_MS = 3_600_000L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ClickHouseMemberUsage() {
    }

    /**
     * One tenant's rows (tenant_id, hour, member_id, chat_sum, message_sum, credit_sum) derived from
     * the raw rows in the time ranges ({@code [from, to)} each, at least one); sums under names of
     * their own, so no aggregate meets an output column of its argument's name.
     *
     * @param events the raw events table as read: {@code events FINAL}
     */
    static Sql derivedRows(String tenantId, List<long[]> ranges, String events) {
        String scope = scope(tenantId, ranges);
        // the owners of the chats the scope's events reference, read by key: each chat's latest
        String owners = ClickHouseChatReferences.owners("tenant_id = " + ClickHouseLiterals.string(tenantId)
                + " AND chat_id IN (SELECT assumeNotNull(chat_id) FROM " + RawTable.EVENTS.tableName()
                + " WHERE type IN ('message', 'llm') AND chat_id IS NOT NULL " + scope + ")");
        return new SqlBuilder().append("SELECT tenant_id, hour, member_id, toInt64(sum(chats)) AS chat_sum,"
                + " toInt64(sum(messages)) AS message_sum, toInt64(sum(credits_micros)) AS credit_sum FROM ("
                // tombstones left out in the WHERE that reads FINAL, as ReportStore.rows does
                + MemberUsageRollup.attributions(events, any -> " AND " + ClickHouseSchema.LIVE + " " + scope, "hour",
                        time -> "intDiv(" + time + ", " + HOUR_MS + ")", owners)
                + ") AS attributions GROUP BY tenant_id, hour, member_id").build();
    }

    /** {@code AND} the tenant and the time ranges, as literals: the same text in every part of the query. */
    private static String scope(String tenantId, List<long[]> ranges) {
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("rows of no time range");
        }
        SqlBuilder sql = new SqlBuilder().append("AND tenant_id = ").value(tenantId).append(" AND (");
        for (int index = 0; index < ranges.size(); index++) {
            sql.append(index == 0 ? "" : " OR ").append("(time_ms >= ").value(ranges.get(index)[0])
                    .append(" AND time_ms < ").value(ranges.get(index)[1]).append(")");
        }
        return ClickHouseLiterals.bind(sql.append(")").build());
    }

    /** A row of {@link #derivedRows} as stored under a generation. */
    static ObjectNode storedRow(Row derived, long generation) {
        return MAPPER.createObjectNode().put("tenant_id", derived.string("tenant_id")).put("hour", derived.longValue("hour"))
                .put("generation", generation).put("member_id", derived.string("member_id"))
                .put("chats", derived.longValue("chat_sum")).put("messages", derived.longValue("message_sum"))
                .put("credits_micros", derived.longValue("credit_sum"));
    }

    /**
     * One member's totals ({@link MemberUsageRollup#totals}) over whole hours: the recorded ones from
     * this table, rows of their generation only, and the rest derived from the raw rows.
     *
     * @param generations the condition selecting recorded hours by generation, or null when none is
     * @param raw         the time ranges to derive, possibly none
     */
    static Sql totals(String tenantId, String memberId, long firstHour, long endHour, Sql generations,
            List<long[]> raw, String events) {
        SqlBuilder sql = new SqlBuilder().append("SELECT toInt64(sum(chat_part)) AS chat_count,"
                + " toInt64(sum(message_part)) AS message_count, toInt64(sum(credit_part)) AS credit_sum FROM (");
        String union = "";
        if (generations != null) {
            sql.append("SELECT chats AS chat_part, messages AS message_part, credits_micros AS credit_part FROM "
                    + TABLE + " WHERE tenant_id = ").value(tenantId).append(" AND member_id = ").value(memberId)
                    .append(" AND hour >= ").value(firstHour).append(" AND hour < ").value(endHour).append(" AND ")
                    .append(generations);
            union = " UNION ALL ";
        }
        if (!raw.isEmpty()) {
            sql.append(union + "SELECT chat_sum AS chat_part, message_sum AS message_part, credit_sum AS credit_part"
                    + " FROM (").append(derivedRows(tenantId, raw, events)).append(") AS derived WHERE member_id = ")
                    .value(memberId);
            union = " UNION ALL ";
        }
        if (union.isEmpty()) {
            // nothing written in these hours: zeros, in the columns the parts would have
            sql.append("SELECT toInt64(0) AS chat_part, toInt64(0) AS message_part, toInt64(0) AS credit_part");
        }
        return sql.append(") AS parts").build();
    }
}
