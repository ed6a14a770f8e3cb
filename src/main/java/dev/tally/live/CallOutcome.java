package dev.tally.live;

import dev.tally.event.CallStatus;
import java.util.Locale;
import java.util.Optional;

/** How a gateway says a call ended. A referral is a completed call whose end reason is "referred". */
public enum CallOutcome {
    COMPLETED, FAILED, REFERRED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CallOutcome> fromWire(String wire) {
        for (CallOutcome outcome : values()) {
            if (outcome.wireName().equals(wire)) {
                return Optional.of(outcome);
            }
        }
        return Optional.empty();
    }

    public CallStatus status() {
        return switch (this) {
            case COMPLETED, REFERRED -> CallStatus.COMPLETED;
            case FAILED -> CallStatus.FAILED;
        };
    }
}
