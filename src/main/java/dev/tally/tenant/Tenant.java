package dev.tally.tenant;

/**
 * A customer of the platform. Every event, key and report belongs to exactly one tenant.
 *
 * @param maxConcurrentCalls the tenant's own call limit; {@code null} means only the platform limit applies
 * @param instructions the agent's system prompt handed out when a call is admitted
 * @param storeSmsBodies whether SMS bodies are kept; by default they are only counted
 * @param retentionDays how many whole UTC days of raw events are kept ({@link Retention}); {@code null}: forever
 */
public record Tenant(String id, String name, long createdMs, Integer maxConcurrentCalls, String instructions,
                     boolean storeSmsBodies, Integer retentionDays) {

    /** A tenant that keeps its raw events forever. */
    public Tenant(String id, String name, long createdMs, Integer maxConcurrentCalls, String instructions,
                  boolean storeSmsBodies) {
        this(id, name, createdMs, maxConcurrentCalls, instructions, storeSmsBodies, null);
    }

    public static Tenant named(String id, String name, long createdMs) {
        return new Tenant(id, name, createdMs, null, null, false);
    }
}
