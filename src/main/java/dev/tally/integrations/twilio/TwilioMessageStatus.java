package dev.tally.integrations.twilio;

import java.util.Locale;

/** A message's {@code MessageStatus}, as the Message resource of Twilio's API names them. */
enum TwilioMessageStatus {
    QUEUED, SENDING, SENT, FAILED, DELIVERED, UNDELIVERED, RECEIVING, RECEIVED, ACCEPTED, SCHEDULED, READ,
    PARTIALLY_DELIVERED, CANCELED;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * How far the message got, which orders its callbacks; 0 for a message that is not (yet) one
     * Twilio bills: still queued or sending, or never sent ({@code failed}, {@code canceled}: Twilio
     * does not charge them). Delivered and undelivered messages are both billed.
     */
    int progress() {
        return switch (this) {
            case QUEUED, SENDING, RECEIVING, ACCEPTED, SCHEDULED, FAILED, CANCELED -> 0;
            case SENT -> 1;
            case DELIVERED, UNDELIVERED, RECEIVED, PARTIALLY_DELIVERED -> 2;
            case READ -> 3;
        };
    }

    /** Whether the status is one only a message to the workspace has, for callbacks without {@code Direction}. */
    boolean isInbound() {
        return switch (this) {
            case RECEIVING, RECEIVED -> true;
            case QUEUED, SENDING, SENT, FAILED, DELIVERED, UNDELIVERED, ACCEPTED, SCHEDULED, READ, PARTIALLY_DELIVERED,
                    CANCELED -> false;
        };
    }
}
