package dev.tally.store.sql;

import java.util.List;

/** A SQL text and its positional parameters, travelling together so neither is built without the other. */
public record Sql(String text, List<Object> parameters) {
    public Sql {
        parameters = List.copyOf(parameters);
    }

    @Override
    public String toString() {
        return text + " " + parameters;
    }
}
