package dev.tally.testing;

import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;

/** Calls and their parts as the call-cost tests write them: calls a minute long and completed, all priced as reported. */
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

    /** A transcription of tenant {@code t1} naming the call, its cost as reported. */
    public static Event part(String id, String callId, long timeMs, long costNanos) {
        Event part = new Event();
        part.id = id;
        part.tenantId = "t1";
        part.type = EventType.STT;
        part.timeMs = timeMs;
        part.callId = callId;
        part.costSource = CostSource.REPORTED;
        part.costNanos = costNanos;
        return part;
    }
}
