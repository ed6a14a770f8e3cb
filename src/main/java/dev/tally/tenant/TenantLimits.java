package dev.tally.tenant;

/**
 * How much one tenant may ask at once, ingest and reports apart: requests per second (a token
 * bucket holding one second's worth, refilled continuously) and requests in flight; and per key,
 * requests per second of each kind. 0 means no limit of that kind.
 */
public record TenantLimits(int ingestPerSecond, int reportsPerSecond, int ingestInFlight, int reportsInFlight,
                           int keyPerSecond) {

    /** Generous enough that no single well-behaved client meets them; a flood does. */
    public static final TenantLimits DEFAULTS = new TenantLimits(5_000, 2_000, 16, 32, 0);
}
