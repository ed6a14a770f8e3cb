package dev.tally.store;

import dev.tally.event.Event;
import java.util.function.Function;

/**
 * One column of the stored event row: its name, kind, and how to read it from an {@link Event}.
 *
 * <p>Every store lays out the same columns in the same order ({@link EventColumns#ALL}), so the
 * reports' SQL is the same on DuckDB and ClickHouse and a new column is added in one place.
 */
public record EventColumn(String name, ColumnKind kind, boolean nullable, Function<Event, Object> reader) {

    public Object read(Event event) {
        return reader.apply(event);
    }
}
