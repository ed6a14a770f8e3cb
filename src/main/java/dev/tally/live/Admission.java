package dev.tally.live;

/**
 * One admission decision for live state to apply atomically with the capacity check.
 *
 * @param tenantLimit {@code null} when only the platform limit applies
 * @param rejectionBeforeCapacity decided before capacity (settings, instructions, an exhausted budget);
 *                                {@code null} to check capacity
 * @param acceptedAnswer the JSON answer to store and return if the call is admitted
 */
public record Admission(CallSession session, String eventId, int globalLimit, Integer tenantLimit,
                        RejectReason rejectionBeforeCapacity, boolean instructionsDbError, boolean fallbackUsed,
                        String acceptedAnswer) {
}
