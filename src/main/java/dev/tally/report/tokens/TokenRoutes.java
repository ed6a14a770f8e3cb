package dev.tally.report.tokens;

import dev.tally.access.RequestAuth;
import dev.tally.access.TenantService;
import dev.tally.auth.Scope;
import dev.tally.http.ApiError;
import dev.tally.http.ErrorStyle;
import dev.tally.http.Routes;
import dev.tally.concurrent.Beside;
import dev.tally.report.ReportResponse;
import dev.tally.store.ReportStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /admin/analytics/tokens/by-assistant} (spec 001): LLM tokens, TTS and call time per
 * assistant across all tenants, for super-admin platform keys. Errors answer in that product's
 * {@code {"success": false, "message": …}} envelope.
 */
public final class TokenRoutes implements Routes {
    static final String MESSAGE = "Token usage by assistant fetched successfully";

    private final ReportStore store;
    private final TenantService tenants;
    private final RequestAuth auth;
    private final Clock clock;

    public TokenRoutes(ReportStore store, TenantService tenants, RequestAuth auth, Clock clock) {
        this.store = store;
        this.tenants = tenants;
        this.auth = auth;
        this.clock = clock;
    }

    @Override
    public void register(Javalin app) {
        app.get("/admin/analytics/tokens/by-assistant", this::byAssistant);
    }

    private void byAssistant(Context context) {
        context.attribute(ErrorStyle.ATTRIBUTE, ErrorStyle.SUCCESS_ENVELOPE);
        auth.bearer(context, Scope.SUPER_ADMIN);
        TokenFilters filters = TokenFilters.parse(context, clock.instant());
        if (filters.tenantId() != null && tenants.find(filters.tenantId()).isEmpty()) {
            // A mistyped tenant would otherwise look like a tenant without usage.
            throw ApiError.notFound("tenant_id", "no tenant " + filters.tenantId());
        }
        TokenQuery query = new TokenQuery(store.session(filters.tenantId(), filters.start().toEpochMilli(),
                filters.end().toEpochMilli()));
        Supplier<List<TokenQuery.CallTotals>> calls = Beside.start(() -> query.calls(filters));
        List<AssistantUsage> assistants = AssistantUsage.of(query.events(filters), calls.get());
        ReportResponse.send(context, new Envelope(true, MESSAGE, new Data(assistants)),
                () -> AssistantUsage.csv(assistants));
    }

    record Envelope(boolean success, String message, Data data) {
    }

    record Data(List<AssistantUsage> assistants) {
    }
}
