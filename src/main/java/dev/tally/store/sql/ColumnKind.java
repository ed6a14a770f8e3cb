package dev.tally.store.sql;

/** The few value kinds an event column holds; each store maps them to its own SQL types. */
public enum ColumnKind {
    STRING, LONG, INTEGER
}
