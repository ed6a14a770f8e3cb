package dev.tally.report.export;

import dev.tally.access.RequestAuth;
import dev.tally.auth.Principal;
import dev.tally.auth.Scope;
import dev.tally.error.Rejection;
import dev.tally.event.EventType;
import dev.tally.http.Routes;
import dev.tally.report.DateRange;
import dev.tally.store.ReportStore;
import dev.tally.store.export.EventExport;
import dev.tally.store.export.ExportFormat;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * {@code GET /v1/exports/events}: the key's tenant's raw events of a range of UTC days (inclusive,
 * as the spend report takes them; default the last 30 days through today), of one type or all,
 * as NDJSON (default), CSV or Parquet, streamed as the store writes them.
 */
public final class ExportRoutes implements Routes {
    private static final int DEFAULT_DAYS_BACK = 30;

    private final ReportStore store;
    private final RequestAuth auth;
    private final Clock clock;

    private final dev.tally.access.TenantService tenants;

    public ExportRoutes(ReportStore store, dev.tally.access.TenantService tenants, RequestAuth auth, Clock clock) {
        this.store = store;
        this.tenants = tenants;
        this.auth = auth;
        this.clock = clock;
    }

    @Override
    public void register(Javalin app) {
        app.get("/v1/exports/events", this::export);
    }

    private void export(Context context) {
        Principal principal = auth.bearer(context, Scope.EXPORT_READ);
        if (principal.tenantId() == null) {
            throw Rejection.forbidden("an export is of one tenant's events: use a key of the tenant");
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        DateRange range = DateRange.parse("from", context.queryParam("from"), today.minusDays(DEFAULT_DAYS_BACK),
                "to", context.queryParam("to"), today);
        EventType type = type(context.queryParam("type"));
        ExportFormat format = format(context.queryParam("format"));
        if (!store.exports(format)) {
            throw Rejection.invalid("format", format.wireName() + " is not written by this store (" + exported() + ")");
        }
        EventExport export = new EventExport(principal.tenantId(), range.startMs(), range.endMsExclusive(), type, format);
        context.contentType(format.contentType());
        dev.tally.report.RawDataNotice.mark(context, tenants.require(principal.tenantId()), range.startMs(),
                clock.millis());
        context.header("Content-Disposition", "attachment; filename=\"events-" + principal.tenantId().replaceAll(
                "[^A-Za-z0-9._-]", "_") + "-" + range.from() + "-" + range.to() + "." + format.wireName() + "\"");
        try (OutputStream out = context.outputStream()) {
            store.exportEvents(export, out);
        } catch (IOException failure) {
            throw new UncheckedIOException("the export could not be written", failure);
        }
    }

    private String exported() {
        return Arrays.stream(ExportFormat.values()).filter(store::exports).map(ExportFormat::wireName)
                .collect(Collectors.joining(", "));
    }

    private static EventType type(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        return EventType.fromWire(text).orElseThrow(() -> Rejection.invalid("type", "is not an event type ("
                + Arrays.stream(EventType.values()).map(EventType::wireName).collect(Collectors.joining(", ")) + ")"));
    }

    private static ExportFormat format(String text) {
        if (text == null || text.isEmpty()) {
            return ExportFormat.NDJSON;
        }
        return ExportFormat.fromWire(text).orElseThrow(() -> Rejection.invalid("format",
                "must be ndjson, csv or parquet"));
    }
}
