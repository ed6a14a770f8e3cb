package dev.tally.store.duckdb;

/** A store failure that is not the caller's fault; the HTTP layer answers it with 503, never as bad input. */
public final class StoreException extends dev.tally.store.StoreFailure {
    public StoreException(Throwable cause) {
        super("DuckDB: " + cause.getMessage(), cause);
    }
}
