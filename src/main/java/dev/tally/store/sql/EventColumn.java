package dev.tally.store.sql;

import dev.tally.event.Event;
import java.util.function.Function;

/**
 * One column of the stored event row: its name, kind, and how to read it from an {@link Event}.
 *
 * <p>{@code sql} is the same value computed from a stored raw row: the column itself for a raw
 * column, an expression over raw columns for a rollup key ({@code ended}: whether {@code ended_ms}
 * is set), so a store without the rollup can derive its rows from the raw table.
 *
 * <p>Every store lays out the same columns in the same order ({@link EventColumns#ALL}), so the
 * reports' SQL is the same on DuckDB and ClickHouse and a new column is added in one place.
 */
public record EventColumn(String name, ColumnKind kind, boolean nullable, Function<Event, Object> reader, String sql) {

    /** A stored column of the raw row: its SQL is its name. */
    public EventColumn(String name, ColumnKind kind, boolean nullable, Function<Event, Object> reader) {
        this(name, kind, nullable, reader, name);
    }

    public Object read(Event event) {
        return reader.apply(event);
    }
}
