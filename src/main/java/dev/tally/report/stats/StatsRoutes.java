package dev.tally.report.stats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.access.RequestAuth;
import dev.tally.access.TenantService;
import dev.tally.auth.Principal;
import dev.tally.auth.Scope;
import dev.tally.http.ApiError;
import dev.tally.http.ErrorStyle;
import dev.tally.http.Json;
import dev.tally.http.RequestBody;
import dev.tally.http.Routes;
import dev.tally.concurrent.Beside;
import dev.tally.report.ReportResponse;
import dev.tally.store.ReportStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code POST /calls/stats}: time-bucketed statistics of LLM calls, in the shape of the tracing
 * product's call statistics API (spec 003), with its HTTP Basic auth (the API key as password)
 * and its {@code {"detail": …}} errors.
 *
 * <p>{@code project_id} names the tenant to read. It must be the key's own tenant; only a platform
 * key with {@code super-admin} may name another existing tenant. Anything else is a 404, so a key
 * cannot even learn which other tenants exist.
 */
public final class StatsRoutes implements Routes {
    private static final long MAX_BODY_BYTES = 1024 * 1024;

    private final ReportStore store;
    private final TenantService tenants;
    private final RequestAuth auth;
    private final Clock clock;

    public StatsRoutes(ReportStore events, TenantService tenants, RequestAuth auth, Clock clock) {
        this.store = events;
        this.tenants = tenants;
        this.auth = auth;
        this.clock = clock;
    }

    @Override
    public void register(Javalin app) {
        app.post("/calls/stats", this::stats);
    }

    private void stats(Context context) {
        context.attribute(ErrorStyle.ATTRIBUTE, ErrorStyle.DETAIL);
        Principal principal = auth.basic(context);
        // a super-admin platform key reads any project, as documented, without analytics:read as well
        if (!principal.has(Scope.ANALYTICS_READ) && !(principal.tenantId() == null && principal.has(Scope.SUPER_ADMIN))) {
            throw ApiError.forbidden("the API key lacks the scope " + Scope.ANALYTICS_READ.wireName());
        }
        JsonNode body = body(context);
        String tenantId = readableTenant(principal, StatsRequestReader.projectId(body));
        StatsRequest request = StatsRequestReader.read(body, tenantId, clock.instant());
        BucketGrid grid = request.grid();
        StatsQuery query = new StatsQuery(store.session(tenantId, request.start().toEpochMilli(),
                request.end().toEpochMilli()));
        Supplier<List<Map<String, Object>>> calls = Beside.start(() -> query.callBuckets(request, grid));
        List<Map<String, Object>> usage = query.usageBuckets(request, grid);
        StatsResponse response = new StatsResponse(request.start().toString(), request.end().toString(),
                request.granularitySeconds(), request.zone().getId(), usage, calls.get());
        // percentiles are read from raw rows: the notice names the part of the range they no longer cover
        tenants.find(tenantId).ifPresent(tenant -> dev.tally.report.RawDataNotice.mark(context, tenant,
                request.start().toEpochMilli(), clock.millis()));
        ReportResponse.send(context, response, () -> StatsCsv.table(response));
    }

    private String readableTenant(Principal principal, String projectId) {
        boolean own = projectId.equals(principal.tenantId());
        boolean platformReadsAny = principal.tenantId() == null && principal.has(Scope.SUPER_ADMIN)
                && tenants.find(projectId).isPresent();
        if (!own && !platformReadsAny) {
            throw ApiError.notFound(null, "project not found");
        }
        return projectId;
    }

    private static JsonNode body(Context context) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(RequestBody.read(context, MAX_BODY_BYTES));
        } catch (IOException malformed) {
            throw ApiError.badRequest("body", "is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            throw ApiError.badRequest("body", "must be a JSON object");
        }
        return body;
    }
}
