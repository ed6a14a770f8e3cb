package dev.tally.live;

/**
 * A call as it ended; kept for a while after so a retried end event, or an end arriving after the
 * reaper, gets the same answer.
 *
 * @param endReason "referred", "max_call_seconds" (the reaper) or {@code null}
 */
public record EndedCall(CallSession session, CallOutcome outcome, long endedMs, long durationMs, String endReason) {
}
