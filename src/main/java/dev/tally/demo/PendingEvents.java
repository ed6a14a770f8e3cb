package dev.tally.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The events of one call, chat or SMS conversation, held back until it is whole: today's activity
 * is only sent when all of it happened before the clock's now, so the demo never reports the future.
 */
final class PendingEvents {
    private final List<ObjectNode> events = new ArrayList<>();
    private final List<Long> latestMs = new ArrayList<>();

    /** @param latestMs the event's time, or its end when it has one */
    void add(ObjectNode event, long latestMs) {
        events.add(event);
        this.latestMs.add(latestMs);
    }

    /** Sends everything, or nothing when any of it would end after now. */
    void sendWhole(long nowMs, Consumer<ObjectNode> sink) {
        for (long latest : latestMs) {
            if (latest > nowMs) {
                return;
            }
        }
        events.forEach(sink);
    }

    /** Sends what has happened by now: a call in progress has had some turns, not all. */
    void sendHappened(long nowMs, Consumer<ObjectNode> sink) {
        for (int index = 0; index < events.size(); index++) {
            if (latestMs.get(index) <= nowMs) {
                sink.accept(events.get(index));
            }
        }
    }
}
