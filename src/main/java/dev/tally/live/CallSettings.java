package dev.tally.live;

/**
 * A tenant's call settings as configured.
 *
 * @param maxConcurrentCalls {@code null}: only the platform limit applies
 * @param instructions {@code null} or blank: none of its own
 */
public record CallSettings(Integer maxConcurrentCalls, String instructions) {
    public static final CallSettings NONE = new CallSettings(null, null);

    public boolean hasInstructions() {
        return instructions != null && !instructions.isBlank();
    }

    /** A tenant is configured for calls once it has either a limit or instructions of its own. */
    public boolean configured() {
        return maxConcurrentCalls != null || hasInstructions();
    }
}
