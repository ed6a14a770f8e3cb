package dev.tally.report.callcost;

import dev.tally.access.RequestAuth;
import dev.tally.auth.Principal;
import dev.tally.auth.Scope;
import dev.tally.error.Rejection;
import dev.tally.http.ApiError;
import dev.tally.http.Routes;
import dev.tally.report.ReportResponse;
import dev.tally.store.ReportStore;
import dev.tally.store.callcost.CallCostDetail;
import dev.tally.store.callcost.CallCostQuery;
import dev.tally.text.UnicodeText;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The cost of calls (events.md, "The cost of a call"): one call's parts and events, and the calls
 * of a range with their sums by day and agent, the most expensive, and those whose platform total
 * disagrees with their parts. One tenant's, from the key.
 */
public final class CallCostRoutes implements Routes {
    /** The contract's bound on an id: a longer one was never stored. */
    private static final int MAX_CALL_ID_LENGTH = 128;

    private final ReportStore store;
    private final RequestAuth auth;
    private final Clock clock;

    public CallCostRoutes(ReportStore store, RequestAuth auth, Clock clock) {
        this.store = store;
        this.auth = auth;
        this.clock = clock;
    }

    @Override
    public void register(Javalin app) {
        app.get("/v1/analytics/calls/{call_id}/cost", this::callCost);
        app.get("/v1/analytics/call-costs", this::callCosts);
    }

    private void callCost(Context context) {
        String tenantId = tenant(context);
        String callId = callId(context.pathParam("call_id"));
        // a session, as every report: a store may answer one tenant's reads where its rows are
        CallCostDetail detail = store.session(tenantId, 0, 0).callCost(tenantId, callId)
                .orElseThrow(() -> ApiError.notFound("call_id", "no call with this id"));
        CallCostAnswer answer = CallCostAnswer.of(detail);
        ReportResponse.send(context, answer, () -> answer.csv(detail.cost()));
    }

    private void callCosts(Context context) {
        String tenantId = tenant(context);
        CallCostFilters filters = CallCostFilters.parse(context, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        CallCostQuery query = filters.query(tenantId);
        CallCostsReport report = CallCostsReport.of(filters, store.session(tenantId, query.fromMs(), query.toMs())
                .callCosts(query));
        // a store adding call costs up from raw rows no longer holds the calls retention deleted
        store.callCostsWholeFrom(tenantId).ifPresent(wholeFrom -> dev.tally.report.RawDataNotice.mark(context,
                wholeFrom, query.fromMs()));
        ReportResponse.send(context, report, report::csv);
    }

    /** A tenant's report: a platform key names no tenant, and the tenant never comes from the request. */
    private String tenant(Context context) {
        Principal principal = auth.bearer(context, Scope.ANALYTICS_READ);
        if (principal.tenantId() == null) {
            throw ApiError.forbidden("a tenant key is required");
        }
        return principal.tenantId();
    }

    private static String callId(String text) {
        if (text.isEmpty() || text.length() > MAX_CALL_ID_LENGTH) {
            throw Rejection.invalid("call_id", "must be 1 to " + MAX_CALL_ID_LENGTH + " characters");
        }
        String problem = UnicodeText.problem(text, true);
        if (problem != null) {
            throw Rejection.invalid("call_id", problem);
        }
        return text;
    }
}
