package dev.tally.event;

import java.util.Locale;

/** A call's state. A final status ({@code COMPLETED}, {@code FAILED}) never returns to {@code IN_PROGRESS}. */
public enum CallStatus {
    IN_PROGRESS, COMPLETED, FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a status, as the wire names it, ends the call. */
    public static boolean isFinal(String wireName) {
        return !IN_PROGRESS.wireName().equals(wireName);
    }

    public boolean isFinal() {
        return switch (this) {
            case IN_PROGRESS -> false;
            case COMPLETED, FAILED -> true;
        };
    }
}
