package dev.tally.integrations.twilio;

import dev.tally.event.CallStatus;
import java.util.Locale;
import java.util.Optional;

/** A call's {@code CallStatus} in Twilio's voice status callbacks. */
enum TwilioCallStatus {
    QUEUED, INITIATED, RINGING, IN_PROGRESS, COMPLETED, BUSY, FAILED, NO_ANSWER, CANCELED;

    /** {@code in-progress}, {@code no-answer}: Twilio writes them with hyphens. */
    String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The call's final status in Tally; empty while the call is not over (those callbacks are not stored). */
    Optional<CallStatus> outcome() {
        return switch (this) {
            case QUEUED, INITIATED, RINGING, IN_PROGRESS -> Optional.empty();
            case COMPLETED -> Optional.of(CallStatus.COMPLETED);
            case BUSY, FAILED, NO_ANSWER, CANCELED -> Optional.of(CallStatus.FAILED);
        };
    }
}
