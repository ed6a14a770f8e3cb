package dev.tally.lifecycle;

import dev.tally.access.KeyService;
import dev.tally.access.RequestAuth;
import dev.tally.access.TenantService;
import dev.tally.http.ApiError;
import dev.tally.http.JsonBody;
import dev.tally.http.Routes;
import dev.tally.integrations.IntegrationSecrets;
import dev.tally.store.EventStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code DELETE /admin/tenants/{id}} with {@code {"confirm": "<the same id>"}}: removes everything
 * the store holds of the tenant (events, calls, rollups, keys, prices, secrets, budgets, the tenant)
 * and forgets it in this instance's caches. Other instances forget it as their caches expire.
 */
public final class TenantDeletionRoutes implements Routes {
    private final EventStore store;
    private final TenantService tenants;
    private final KeyService keys;
    private final IntegrationSecrets secrets;
    private final dev.tally.ingest.ErasedSubjects erasedSubjects;
    private final RequestAuth auth;

    public TenantDeletionRoutes(EventStore store, TenantService tenants, KeyService keys, IntegrationSecrets secrets,
                                dev.tally.ingest.ErasedSubjects erasedSubjects, RequestAuth auth) {
        this.erasedSubjects = erasedSubjects;
        this.store = store;
        this.tenants = tenants;
        this.keys = keys;
        this.secrets = secrets;
        this.auth = auth;
    }

    @Override
    public void register(Javalin app) {
        app.delete("/admin/tenants/{id}", this::delete);
    }

    private void delete(Context context) {
        auth.admin(context);
        String id = context.pathParam("id");
        String confirmed = JsonBody.of(context).text("confirm");
        if (confirmed == null || !confirmed.equals(id)) {
            throw ApiError.badRequest("confirm", "must repeat the tenant's id: deleting a tenant removes all of its"
                    + " data and cannot be undone");
        }
        if (tenants.find(id).isEmpty()) {
            throw ApiError.notFound("tenant_id", "no tenant has this id");
        }
        long started = System.nanoTime();
        Map<String, Long> removed = store.deleteTenant(id);
        tenants.forget(id);
        keys.forgetTenant(id);
        secrets.forget(id);
        erasedSubjects.forget(id);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("tenant_id", id);
        answer.put("deleted", true);
        answer.put("rows_removed", removed);
        answer.put("took_ms", (System.nanoTime() - started) / 1_000_000);
        context.json(answer);
    }
}
