package dev.tally.store.duckdb;

import dev.tally.event.Event;
import java.sql.SQLException;

/**
 * Failures a test injects into the store's writes. The server runs with {@link #NONE}; the
 * failure-injection tests make a write fail at each {@link WriteStep}, or on one event, and check
 * that the store is left exactly as before.
 */
public interface WriteFaults {
    WriteFaults NONE = new WriteFaults() {
    };

    /** Called as the write reaches each step; throwing fails the write there. */
    default void reached(WriteStep step) throws SQLException {
    }

    /** Called before each event is appended; throwing makes this event fail the write. */
    default void appending(Event event) throws SQLException {
    }
}
