package dev.tally.budget;

import dev.tally.access.RequestAuth;
import dev.tally.auth.Principal;
import dev.tally.auth.Scope;
import dev.tally.error.Rejection;
import dev.tally.http.ApiError;
import dev.tally.http.JsonBody;
import dev.tally.http.Routes;
import dev.tally.tenant.Budget;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code /admin/budgets}: the operator's (admin token, any tenant) and a tenant's own
 * ({@code budgets:write} key, its tenant only); {@code GET /v1/budgets}: where each of the key's
 * tenant's budgets stands ({@code analytics:read}). A budget of another tenant is a 404 to a key,
 * never a hint that it exists.
 */
public final class BudgetRoutes implements Routes {
    private static final String ONE = "/admin/budgets/{id}";

    private final BudgetService budgets;
    private final RequestAuth auth;

    public BudgetRoutes(BudgetService budgets, RequestAuth auth) {
        this.budgets = budgets;
        this.auth = auth;
    }

    @Override
    public void register(Javalin app) {
        app.post("/admin/budgets", this::create);
        app.get("/admin/budgets", this::list);
        app.get(ONE, this::show);
        app.patch(ONE, this::change);
        app.delete(ONE, this::remove);
        app.get("/v1/budgets", this::statuses);
    }

    /** Who asks: the operator (null: every tenant) or a tenant's key (its tenant). */
    private record Caller(String tenantId) {
        boolean sees(Budget budget) {
            return tenantId == null || tenantId.equals(budget.tenantId());
        }
    }

    private Caller caller(Context context) {
        if (context.header(RequestAuth.ADMIN_HEADER) != null) {
            auth.admin(context);
            return new Caller(null);
        }
        Principal principal = auth.bearer(context, Scope.BUDGETS_WRITE);
        if (principal.tenantId() == null) {
            throw Rejection.forbidden("a platform key has no budgets of its own: use a tenant's key or the admin token");
        }
        return new Caller(principal.tenantId());
    }

    private void create(Context context) {
        Caller caller = caller(context);
        JsonBody body = JsonBody.of(context);
        String named = body.text("tenant_id");
        String tenantId;
        if (caller.tenantId() == null) {
            if (named == null || named.isBlank()) {
                throw ApiError.badRequest("tenant_id", "is required with the admin token");
            }
            tenantId = named;
        } else {
            if (named != null && !named.equals(caller.tenantId())) {
                throw ApiError.notFound("tenant_id", "no tenant has this id");
            }
            tenantId = caller.tenantId();
        }
        context.status(201).json(BudgetView.of(budgets.create(tenantId, body)));
    }

    private void list(Context context) {
        Caller caller = caller(context);
        String tenantId = caller.tenantId() != null ? caller.tenantId() : context.queryParam("tenant_id");
        List<Map<String, Object>> views = budgets.budgets(tenantId).stream().map(BudgetView::of).toList();
        context.json(Map.of("budgets", views));
    }

    private void show(Context context) {
        context.json(BudgetView.of(visible(context, caller(context))));
    }

    private void change(Context context) {
        Budget stored = visible(context, caller(context));
        context.json(BudgetView.of(budgets.change(stored, JsonBody.of(context))));
    }

    private void remove(Context context) {
        Budget stored = visible(context, caller(context));
        if (!budgets.delete(stored)) {
            throw ApiError.notFound("id", "no budget has this id");
        }
        context.status(204);
    }

    private Budget visible(Context context, Caller caller) {
        return budgets.budget(context.pathParam("id")).filter(caller::sees)
                .orElseThrow(() -> ApiError.notFound("id", "no budget has this id"));
    }

    private void statuses(Context context) {
        Principal principal = auth.bearer(context, Scope.ANALYTICS_READ);
        if (principal.tenantId() == null) {
            throw Rejection.forbidden("budgets belong to a tenant: use a key of the tenant");
        }
        long asOf = budgets.nowMs();
        List<Map<String, Object>> views = budgets.budgets(principal.tenantId()).stream()
                .map(budget -> BudgetView.of(budgets.status(budget))).toList();
        context.json(Map.of("as_of", Instant.ofEpochMilli(asOf).toString(), "budgets", views));
    }
}
