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
        Event call = reported(id, EventType.CALL, timeMs, costNanos);
        call.status = "completed";
        call.agentId = agentId;
        call.durationMs = 60_000L;
        call.endedMs = timeMs + 60_000;
        return call;
    }

    /** A transcription of tenant {@code t1} naming the call, its cost as reported. */
    public static Event part(String id, String callId, long timeMs, long costNanos) {
        Event part = reported(id, EventType.STT, timeMs, costNanos);
        part.callId = callId;
        return part;
    }

    /** An event of tenant {@code t1} with its cost as reported. */
    private static Event reported(String id, EventType type, long timeMs, long costNanos) {
        Event event = new Event();
        event.id = id;
        event.tenantId = "t1";
        event.type = type;
        event.timeMs = timeMs;
        event.costSource = CostSource.REPORTED;
        event.costNanos = costNanos;
        return event;
    }
}
