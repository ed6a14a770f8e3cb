package dev.tally.report;

import dev.tally.error.Rejection;

/** The {@code agent_id} filter the call reports take: absent for every agent, else a non-blank id of bounded length. */
public final class AgentParameter {
    private static final int MAX_LENGTH = 256;

    private AgentParameter() {
    }

    /** The agent to filter on, or null for all agents. */
    public static String parse(String text) {
        if (text == null) {
            return null;
        }
        if (text.isBlank()) {
            throw Rejection.invalid("agent_id", "must not be blank; omit it for all agents");
        }
        if (text.length() > MAX_LENGTH) {
            throw Rejection.invalid("agent_id", "must be at most " + MAX_LENGTH + " characters");
        }
        return text;
    }
}
