package dev.tally.report;

import dev.tally.tenant.Retention;
import dev.tally.tenant.Tenant;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Tells the client of an answer read from raw events which part of its range those no longer
 * cover: {@code Tally-Raw-Data-From} is the tenant's retention horizon, and
 * {@code Tally-Missing-Raw-Range} ({@code from/horizon}, ISO 8601) the part of the range before it.
 * Headers rather than fields, so the answers' bodies stay those of the products they copy.
 */
public final class RawDataNotice {
    public static final String FROM_HEADER = "Tally-Raw-Data-From";
    public static final String MISSING_HEADER = "Tally-Missing-Raw-Range";

    private RawDataNotice() {
    }

    public static void mark(Context context, Tenant tenant, long fromMs, long nowMs) {
        OptionalLong horizon = Retention.horizonMs(tenant, nowMs);
        if (horizon.isEmpty()) {
            return;
        }
        mark(context, horizon.getAsLong(), fromMs);
    }

    /** The same, for an answer the store says is whole from {@code wholeFromMs} only. */
    public static void mark(Context context, long wholeFromMs, long fromMs) {
        context.header(FROM_HEADER, Instant.ofEpochMilli(wholeFromMs).toString());
        if (fromMs < wholeFromMs) {
            context.header(MISSING_HEADER, Instant.ofEpochMilli(fromMs) + "/" + Instant.ofEpochMilli(wholeFromMs));
        }
    }
}
