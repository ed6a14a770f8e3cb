package dev.tally.live;

/** The shared live state (Redis) cannot answer; admission must refuse rather than guess a count (503). */
public final class LiveStateUnavailable extends RuntimeException {
    public LiveStateUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
