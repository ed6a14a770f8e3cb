package dev.tally.report.usage;

import dev.tally.http.CsvTable;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v2/w/{workspace_id}/members}: every member id seen in the tenant's events, all
 * time. Tally has no member directory; the events are the only record of who the members are.
 * {@code messages} counts as the member usage report does (the member's own, or in the member's chats).
 */
public record MemberList(List<Member> members) {

    public record Member(String memberId, Instant firstSeen, Instant lastSeen, long chats, long messages) {
    }

    CsvTable csv() {
        CsvTable table = new CsvTable(List.of("member_id", "first_seen", "last_seen", "chats", "messages"));
        for (Member member : members) {
            table.row(List.of(member.memberId(), member.firstSeen(), member.lastSeen(), member.chats(),
                    member.messages()));
        }
        return table;
    }
}
