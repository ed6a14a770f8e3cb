package dev.tally.testing;

import dev.tally.event.Event;
import dev.tally.event.EventType;

/** Chats, messages and LLM requests of tenant {@code t}, as the member usage tests write them. */
public final class ChatEvents {
    private ChatEvents() {
    }

    /** A chat opened by {@code member} (null: by no one). */
    public static Event chat(String id, String member, long timeMs) {
        Event event = event(id, EventType.CHAT, timeMs);
        event.memberId = member;
        return event;
    }

    /** A message in {@code chat} naming {@code member}; either may be null. */
    public static Event message(String id, String chat, String member, long timeMs) {
        Event event = event(id, EventType.MESSAGE, timeMs);
        event.chatId = chat;
        event.memberId = member;
        return event;
    }

    /** An LLM request in {@code chat} naming {@code member}, of the credits given. */
    public static Event llm(String id, String chat, String member, long creditsMicros, long timeMs) {
        Event event = event(id, EventType.LLM, timeMs);
        event.chatId = chat;
        event.memberId = member;
        event.provider = "acme";
        event.model = "a";
        event.creditsMicros = creditsMicros;
        return event;
    }

    private static Event event(String id, EventType type, long timeMs) {
        Event event = new Event();
        event.tenantId = "t";
        event.id = id;
        event.type = type;
        event.timeMs = timeMs;
        event.receivedMs = timeMs;
        return event;
    }
}
