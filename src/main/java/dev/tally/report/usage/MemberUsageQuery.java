package dev.tally.report.usage;

import dev.tally.report.DateRange;
import dev.tally.store.ReportStore;
import dev.tally.store.rollup.MemberUsageRollup;

/**
 * Computes one member's usage. A message or an LLM request belongs to the member when it names
 * the member, or when it happened in a chat the member owns (whenever that chat was created), so
 * an assistant's replies and their cost count for the chat's owner. Work in no member's chat and
 * naming no member (routines, agent-only work) belongs to no one.
 *
 * <p>The store answers: from {@link MemberUsageRollup}, where it resolved that attribution when it
 * stored the events (a cost that follows the days, not the events), or from the raw events.
 */
public final class MemberUsageQuery {
    private final ReportStore store;

    public MemberUsageQuery(ReportStore store) {
        this.store = store;
    }

    public MemberUsageReport run(String tenantId, String memberId, DateRange range) {
        MemberUsageRollup.Totals totals = store.memberUsage(tenantId, memberId, range.from().toEpochDay(),
                range.to().toEpochDay());
        return new MemberUsageReport(memberId, range.from(), range.to(), totals.chats(), totals.messages(),
                Decimals.credits(totals.creditsMicros()));
    }
}
