package dev.tally.live;

/**
 * A call holding a slot: admitted, perhaps started, not yet ended. It keeps what the call row in
 * the event store needs so the final event can replace the in-progress one field for field.
 *
 * @param startedMs {@code null} until the gateway says the call started
 * @param instructionsSource "tenant" or "fallback"
 */
public record CallSession(String tenantId, String callId, long admittedMs, Long startedMs, String agentId,
                          String direction, String phoneNumber, String instructionsSource) {
}
