package dev.tally.live;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Calls holding slots, lifecycle deduplication and the live counters. Every method is atomic: the
 * capacity check and the slot it takes happen as one step, whichever instance asks. Implementations
 * throw {@link LiveStateUnavailable} when they cannot answer, never a guess.
 */
public interface LiveState extends AutoCloseable {

    AdmitResult admit(Admission admission);

    /** Marks the call started; {@code DUPLICATE} with the original start time when it already was. */
    StartResult start(String tenantId, String callId, String eventId, long nowMs);

    /**
     * Ends the call and frees its slot.
     *
     * @param durationMs as reported; {@code null} to measure from the start (0 if it never started)
     */
    EndResult end(String tenantId, String callId, String eventId, CallOutcome outcome, Long durationMs,
                  String endReason, long nowMs);

    /** The call holding a slot under this id, or {@code null}. */
    CallSession session(String tenantId, String callId);

    /** Every call holding a slot, oldest admission first. */
    List<CallSession> sessions();

    /** Calls admitted before the cutoff and not ended: the reaper's candidates. */
    List<CallSession> sessionsAdmittedBefore(long cutoffMs);

    /** The counters of one tenant, or of the platform when {@code tenantId} is null; absent ones are 0. */
    Map<LiveCounter, Long> counters(String tenantId);

    /**
     * Replaces a phone number or call id of the tenant's live calls, and of the ended calls still
     * remembered, by its pseudonym; returns how many it replaced. Erasure of a data subject.
     */
    long erase(String tenantId, LiveIdentifier identifier, String value, String pseudonym);

    /** Tenants that have counters. */
    Set<String> tenants();

    /**
     * What the state lives in besides this process, by name ({@code redis}), with whether it answers
     * now; empty when it lives in this process only. Readiness reports it.
     */
    default java.util.Map<String, Boolean> dependencies() {
        return java.util.Map.of();
    }

    @Override
    void close();

    record StartResult(StateChange change, long startedMs) {
    }

    record EndResult(StateChange change, EndedCall ended) {
    }
}
