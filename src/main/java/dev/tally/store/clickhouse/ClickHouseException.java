package dev.tally.store.clickhouse;

import dev.tally.store.StoreFailure;

/** ClickHouse did not do what was asked (unreachable, or an error answer); the request may be retried (503). */
public final class ClickHouseException extends StoreFailure {
    public ClickHouseException(String message, Throwable cause) {
        super("ClickHouse: " + message, cause);
    }

    public ClickHouseException(String message) {
        this(message, null);
    }
}
