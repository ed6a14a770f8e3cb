package dev.tally.store;

/** A store could not do its work (disk, engine, network); the request may be retried. Answered as 503. */
public class StoreFailure extends RuntimeException {
    public StoreFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
