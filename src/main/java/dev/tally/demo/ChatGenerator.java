package dev.tally.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Members chatting with the workspace assistant: a {@code chat} owned by a member, then
 * {@code message}s, each assistant answer backed by an {@code llm} chat completion carrying the
 * chat and the member (what the member usage report attributes), now and then a summary of the
 * chat. A few chats are started by routines and belong to no member, as in a real workspace.
 */
final class ChatGenerator {
    private static final int SYSTEM_PROMPT_TOKENS = 1_150;

    private final DemoTenant tenant;
    private final Consumer<ObjectNode> sink;
    private final long nowMs;
    /** Some members chat far more than others. */
    private final double[] memberWeights;

    ChatGenerator(DemoTenant tenant, Consumer<ObjectNode> sink, long nowMs) {
        this.tenant = tenant;
        this.sink = sink;
        this.nowMs = nowMs;
        this.memberWeights = new double[tenant.members().size()];
        for (int index = 0; index < memberWeights.length; index++) {
            memberWeights[index] = Math.max(1, 8 - index);
        }
    }

    void day(LocalDate date, double progress, SplittableRandom random) {
        int count = DayShape.count(tenant.chats(), date, progress, random);
        String prefix = "chat_" + tenant.id() + "_" + date.format(DateTimeFormatter.BASIC_ISO_DATE) + "_";
        for (int number = 0; number < count; number++) {
            long startMs = DayShape.startMs(date, tenant.utcOffsetHours(), random);
            chat(prefix + String.format("%03d", number), startMs, random).sendWhole(nowMs, sink);
        }
    }

    private PendingEvents chat(String chatId, long startMs, SplittableRandom random) {
        String member = Draw.chance(random, 0.9) ? member(random) : null;
        String channel = Draw.chance(random, 0.75) ? "web" : "sms";
        DemoTenant.ChatModel model = Draw.chance(random, 0.7) ? tenant.chatModels().get(0) : tenant.chatModels().get(1);
        PendingEvents events = new PendingEvents();
        ObjectNode chat = DemoJson.event(tenant.id(), chatId, "chat", startMs);
        if (member != null) {
            chat.put("member_id", member);
        }
        events.add(chat, startMs);

        int exchanges = Draw.between(random, 1, 6);
        long atMs = startMs + Draw.between(random, 2_000, 20_000);
        int conversationTokens = 0;
        for (int exchange = 0; exchange < exchanges; exchange++) {
            events.add(message(chatId, exchange * 2, "user", channel, member, atMs), atMs);
            long requestMs = atMs + Draw.between(random, 100, 300);
            long latencyMs = Draw.between(random, 600, 3_500);
            boolean failed = Draw.chance(random, 0.01);
            ObjectNode llm = DemoJson.event(tenant.id(), chatId + "_llm_" + exchange, "llm", requestMs);
            completion(llm, model, chatId, member, requestMs + latencyMs);
            llm.put("op_name", "chat.completion");
            if (exchange > 0) {
                llm.put("parent_id", chatId + "_llm_0");
            }
            llm.put("turn_id", chatId + "_t" + exchange);
            conversationTokens += Draw.between(random, 20, 160);
            PromptCache.writeInput(llm, model.provider(), SYSTEM_PROMPT_TOKENS + conversationTokens,
                    SYSTEM_PROMPT_TOKENS, exchange, random);
            int answerTokens = Draw.between(random, 40, 420);
            conversationTokens += answerTokens;
            if (failed) {
                llm.put("exception", "RateLimitError: Error code: 429 - Rate limit reached for requests");
                llm.put("output_tokens", 0);
                events.add(llm, requestMs + latencyMs);
                break;
            }
            llm.put("output_tokens", answerTokens);
            events.add(llm, requestMs + latencyMs);
            long answeredMs = requestMs + latencyMs + 50;
            events.add(message(chatId, exchange * 2 + 1, "assistant", channel, member, answeredMs),
                    answeredMs);
            atMs = answeredMs + Draw.between(random, 10_000, 150_000);
        }
        if (exchanges >= 3 && Draw.chance(random, 0.35)) {
            long requestMs = atMs;
            long latencyMs = Draw.between(random, 900, 3_000);
            ObjectNode summary = DemoJson.event(tenant.id(), chatId + "_llm_summary", "llm", requestMs);
            completion(summary, new DemoTenant.ChatModel("openai", "gpt-4o-mini"), chatId, member,
                    requestMs + latencyMs);
            summary.put("op_name", "chat.summarize");
            summary.put("parent_id", chatId + "_llm_0");
            summary.put("input_tokens", 300 + conversationTokens);
            summary.put("output_tokens", Draw.between(random, 60, 180));
            events.add(summary, requestMs + latencyMs);
        }
        return events;
    }

    private String member(SplittableRandom random) {
        return tenant.members().get(Draw.weightedIndex(random, memberWeights));
    }

    private void completion(ObjectNode llm, DemoTenant.ChatModel model, String chatId, String member, long endedMs) {
        llm.put("provider", model.provider());
        llm.put("model", model.model());
        llm.put("kind", "chat");
        llm.put("chat_id", chatId);
        if (member != null) {
            llm.put("member_id", member);
        }
        llm.put("ended_at", DemoJson.time(endedMs));
        llm.put("trace_id", "tr_" + chatId);
        llm.put("thread_id", chatId);
    }

    private ObjectNode message(String chatId, int position, String role, String channel, String member,
                               long timeMs) {
        ObjectNode message = DemoJson.event(tenant.id(), chatId + "_m" + position, "message", timeMs);
        message.put("chat_id", chatId);
        message.put("role", role);
        message.put("channel", channel);
        if (member != null) {
            message.put("member_id", member);
        }
        return message;
    }
}
