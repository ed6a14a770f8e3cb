package dev.tally.report.usage;

import static dev.tally.report.usage.UsageTesting.OTHER_TENANT;
import static dev.tally.report.usage.UsageTesting.TENANT;
import static dev.tally.report.usage.UsageTesting.ok;
import static dev.tally.report.usage.UsageTesting.report;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Member usage and the member list. Chats: ch0 alice 2026-02-20, ch1 alice 03-02, ch2 bob 03-03.
 * Messages: msg1 ch1 by alice 03-02, msg2 ch1 assistant 03-02, msg3 ch2 by bob 03-03, msg4 ch2 by
 * alice 03-03 (counts for both), msg5 ch0 assistant 03-04, msg6 no chat no member 03-04, msg7 ch1
 * 02-25 (before the month). LLM (acme, 1 credit per thousand tokens): l1 ch1 1000 tokens 03-02,
 * l2 alice without chat 500 tokens 03-05, l3 ch2 2000 tokens 03-06, l4 no chat no member 100 tokens.
 * The other tenant has a chat and messages of a member also called alice.
 */
class MemberUsageApiTest {
    private static TestServer server;
    private static String analytics;

    @BeforeAll
    static void fixture() {
        server = UsageTesting.start();
        analytics = UsageTesting.key(server, TENANT, "analytics:read");
        String writer = UsageTesting.key(server, TENANT, "events:write");
        server.ingest(writer, """
                [{"id": "ch0", "type": "chat", "time": "2026-02-20T09:00:00Z", "member_id": "alice"},
                 {"id": "ch1", "type": "chat", "time": "2026-03-02T09:00:00Z", "member_id": "alice"},
                 {"id": "ch2", "type": "chat", "time": "2026-03-03T09:00:00Z", "member_id": "bob"},
                 {"id": "msg1", "type": "message", "time": "2026-03-02T09:01:00Z", "chat_id": "ch1", "member_id": "alice",
                  "role": "user"},
                 {"id": "msg2", "type": "message", "time": "2026-03-02T09:02:00Z", "chat_id": "ch1", "role": "assistant"},
                 {"id": "msg3", "type": "message", "time": "2026-03-03T09:01:00Z", "chat_id": "ch2", "member_id": "bob",
                  "role": "user"},
                 {"id": "msg4", "type": "message", "time": "2026-03-03T09:02:00Z", "chat_id": "ch2", "member_id": "alice",
                  "role": "user"},
                 {"id": "msg5", "type": "message", "time": "2026-03-04T09:00:00Z", "chat_id": "ch0", "role": "assistant"},
                 {"id": "msg6", "type": "message", "time": "2026-03-04T10:00:00Z", "role": "system"},
                 {"id": "msg7", "type": "message", "time": "2026-02-25T10:00:00Z", "chat_id": "ch1", "role": "user"},
                 {"id": "l1", "type": "llm", "time": "2026-03-02T09:02:00Z", "provider": "acme", "model": "a",
                  "chat_id": "ch1", "input_tokens": 1000},
                 {"id": "l2", "type": "llm", "time": "2026-03-05T09:00:00Z", "provider": "acme", "model": "a",
                  "member_id": "alice", "input_tokens": 500},
                 {"id": "l3", "type": "llm", "time": "2026-03-06T09:00:00Z", "provider": "acme", "model": "a",
                  "chat_id": "ch2", "input_tokens": 2000},
                 {"id": "l4", "type": "llm", "time": "2026-03-06T10:00:00Z", "provider": "acme", "model": "a",
                  "input_tokens": 100}]""");
        server.ingest(UsageTesting.key(server, OTHER_TENANT, "events:write"), """
                [{"id": "ch1", "type": "chat", "time": "2026-03-02T09:00:00Z", "member_id": "alice"},
                 {"id": "msg9", "type": "message", "time": "2026-03-02T09:01:00Z", "chat_id": "ch1", "member_id": "alice"},
                 {"id": "l9", "type": "llm", "time": "2026-03-02T09:02:00Z", "provider": "acme", "model": "a",
                  "chat_id": "ch1", "input_tokens": 9000},
                 {"id": "x", "type": "chat", "time": "2026-03-02T09:00:00Z", "member_id": "zed"}]""");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void countsAMembersChatsMessagesAndCreditsFromMonthStartToToday() {
        JsonNode report = ok(server, report(TENANT, "member-usage/alice"), analytics);

        assertThat(report.path("memberId").asText()).isEqualTo("alice");
        assertThat(report.path("startDate").asText()).isEqualTo("2026-03-01");
        assertThat(report.path("endDate").asText()).isEqualTo("2026-03-15");
        assertThat(report.path("totalChats").asLong()).as("ch1; ch0 is February").isEqualTo(1);
        assertThat(report.path("totalMessages").asLong()).as("msg1, msg2, msg4, msg5").isEqualTo(4);
        assertThat(report.path("totalCredits").decimalValue()).as("l1 + l2").isEqualByComparingTo("1.5");
    }

    @Test
    void aMessageInAnotherMembersChatCountsForBoth() {
        JsonNode report = ok(server, report(TENANT, "member-usage/bob"), analytics);

        assertThat(report.path("totalChats").asLong()).isEqualTo(1);
        assertThat(report.path("totalMessages").asLong()).as("msg3, msg4").isEqualTo(2);
        assertThat(report.path("totalCredits").decimalValue()).isEqualByComparingTo("2");
    }

    @Test
    void explicitRangeAndUnknownMember() {
        JsonNode february = ok(server, report(TENANT, "member-usage/alice")
                + "?start_date=2026-02-01&end_date=2026-02-28", analytics);
        assertThat(february.path("totalChats").asLong()).isEqualTo(1);
        assertThat(february.path("totalMessages").asLong()).as("msg7 in ch1, created later").isEqualTo(1);
        assertThat(february.path("totalCredits").asText()).isEqualTo("0");

        JsonNode nobody = ok(server, report(TENANT, "member-usage/zed"), analytics);
        assertThat(nobody.path("totalChats").asLong()).as("zed is the other tenant's").isZero();
        assertThat(nobody.path("totalMessages").asLong()).isZero();
    }

    @Test
    void membersReadIsEnoughForOnesOwnReportOnly() {
        String aliceKey = UsageTesting.memberKey(server, TENANT, "alice", "members:read");

        JsonNode own = ok(server, report(TENANT, "member-usage/alice"), aliceKey);
        assertThat(own.path("totalMessages").asLong()).isEqualTo(4);

        HttpResponse<String> other = server.getWithKey(report(TENANT, "member-usage/bob"), aliceKey);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).contains("analytics:read");

        String aliceAnalyst = UsageTesting.memberKey(server, TENANT, "alice", "analytics:read");
        assertThat(ok(server, report(TENANT, "member-usage/bob"), aliceAnalyst).path("totalMessages").asLong())
                .isEqualTo(2);
        assertThat(ok(server, report(TENANT, "member-usage/alice"), aliceAnalyst).path("totalChats").asLong())
                .isEqualTo(1);
    }

    @Test
    void ownReportWithoutMembersReadIsForbidden() {
        String aliceWriter = UsageTesting.memberKey(server, TENANT, "alice", "events:write");

        HttpResponse<String> response = server.getWithKey(report(TENANT, "member-usage/alice"), aliceWriter);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("members:read");
    }

    @Test
    void memberUsageCsv() {
        HttpResponse<String> response = server.getWithKey(report(TENANT, "member-usage/alice") + "?format=csv", analytics);

        assertThat(response.body().lines().toList()).containsExactly(
                "memberId,startDate,endDate,totalChats,totalMessages,totalCredits",
                "alice,2026-03-01,2026-03-15,1,4,1.5");
    }

    @Test
    void listsTheMembersSeenInTheTenantsEvents() {
        String membersReader = UsageTesting.key(server, TENANT, "members:read");

        JsonNode members = ok(server, "/api/v2/w/" + TENANT + "/members", membersReader).path("members");

        assertThat(members).hasSize(2);
        JsonNode alice = members.get(0);
        assertThat(alice.path("member_id").asText()).isEqualTo("alice");
        assertThat(alice.path("first_seen").asText()).isEqualTo("2026-02-20T09:00:00Z");
        assertThat(alice.path("last_seen").asText()).as("l2").isEqualTo("2026-03-05T09:00:00Z");
        assertThat(alice.path("chats").asLong()).isEqualTo(2);
        assertThat(alice.path("messages").asLong()).as("msg1, msg2, msg4, msg5, msg7").isEqualTo(5);
        JsonNode bob = members.get(1);
        assertThat(bob.path("member_id").asText()).isEqualTo("bob");
        assertThat(bob.path("first_seen").asText()).isEqualTo("2026-03-03T09:00:00Z");
        assertThat(bob.path("last_seen").asText()).isEqualTo("2026-03-03T09:01:00Z");
        assertThat(bob.path("chats").asLong()).isEqualTo(1);
        assertThat(bob.path("messages").asLong()).as("msg3, msg4").isEqualTo(2);

        assertThat(ok(server, "/api/v2/w/" + TENANT + "/members", analytics).path("members")).hasSize(2);
    }

    @Test
    void theMemberListNeedsAReadScope() {
        String writer = UsageTesting.key(server, TENANT, "events:write");

        HttpResponse<String> response = server.getWithKey("/api/v2/w/" + TENANT + "/members", writer);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("analytics:read").contains("members:read");
        assertThat(server.getWithKey("/api/v2/w/" + OTHER_TENANT + "/members", analytics).statusCode()).isEqualTo(404);
    }
}
