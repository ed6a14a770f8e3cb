package dev.tally.report.spend;

import dev.tally.access.RequestAuth;
import dev.tally.auth.Principal;
import dev.tally.auth.Scope;
import dev.tally.http.ApiError;
import dev.tally.http.Routes;
import dev.tally.report.ReportResponse;
import dev.tally.store.ReportStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** {@code GET /v1/analytics/spend} (spec 000): one tenant's call volume, minutes and carrier spend. */
public final class SpendRoutes implements Routes {
    private final ReportStore store;
    private final RequestAuth auth;
    private final Clock clock;

    public SpendRoutes(ReportStore store, RequestAuth auth, Clock clock) {
        this.store = store;
        this.auth = auth;
        this.clock = clock;
    }

    @Override
    public void register(Javalin app) {
        app.get("/v1/analytics/spend", this::overview);
    }

    private void overview(Context context) {
        Principal principal = auth.bearer(context, Scope.ANALYTICS_READ);
        String tenantId = principal.tenantId();
        if (tenantId == null) {
            // The overview is one tenant's; a platform key names none, and the tenant never comes from the request.
            throw ApiError.forbidden("a tenant key is required");
        }
        SpendFilters filters = SpendFilters.parse(context, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        // the store learns what it needs to of the tenant's range once, for every question of the report
        SpendQuery.Spend spend = new SpendQuery(store.session(tenantId, filters.range().startMs(),
                filters.range().endMsExclusive())).spend(tenantId, filters);
        SpendOverview overview = SpendOverview.of(filters, spend.totals(), spend.days(), spend.agents(),
                spend.unpricedCalls());
        ReportResponse.send(context, overview, overview::timeSeriesCsv);
    }
}
