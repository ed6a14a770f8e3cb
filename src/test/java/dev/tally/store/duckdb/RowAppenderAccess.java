package dev.tally.store.duckdb;

import dev.tally.event.Event;
import java.sql.SQLException;
import org.duckdb.DuckDBAppender;

/** Lets the timing harness in another package call the package-private row appender. */
public final class RowAppenderAccess {
    private RowAppenderAccess() {
    }

    public static void append(DuckDBAppender appender, Event event, long fingerprint) throws SQLException {
        EventRowAppender.append(appender, event, fingerprint);
    }
}
