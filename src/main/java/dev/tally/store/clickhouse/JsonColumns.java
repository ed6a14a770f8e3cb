package dev.tally.store.clickhouse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.store.sql.EventColumn;
import dev.tally.store.sql.Row;

/** Copies a column of a row ClickHouse returned into a JSONEachRow line to insert, typed as the column is. */
final class JsonColumns {
    private JsonColumns() {
    }

    static void copy(Row source, EventColumn column, ObjectNode target) {
        Object value = source.asMap().get(column.name());
        if (value == null) {
            target.putNull(column.name());
            return;
        }
        switch (column.kind()) {
            case STRING -> target.put(column.name(), value.toString());
            case LONG -> target.put(column.name(), source.longValue(column.name()));
            // an integer key of a derived rollup row may come back as a floating-point average
            case INTEGER -> target.put(column.name(), Math.toIntExact(Math.round(((Number) value).doubleValue())));
        }
    }
}
