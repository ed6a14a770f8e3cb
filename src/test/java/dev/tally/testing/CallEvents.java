package dev.tally.testing;

import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;

/** Calls and their parts as the call-cost tests write them: a minute long, completed, priced as reported. */
public final class CallEvents {
    private CallEvents() {
    }

    /** A completed one-minute call of tenant {@code t1}, its own cost given. */
    public static Event call(String id, long timeMs, long costNanos, String agentId) {
        Event call = new Event();
        call.id = id;
        call.tenantId = "t1";
        call.type = EventType.CALL;
        call.timeMs = timeMs;
        call.status = "completed";
        call.agentId = agentId;
        call.durationMs = 60_000L;
        call.endedMs = timeMs + 60_000;
        call.costSource = CostSource.REPORTED;
        call.costNanos = costNanos;
        return call;
    }
}
