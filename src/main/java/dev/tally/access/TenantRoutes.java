package dev.tally.access;

import dev.tally.http.ApiError;
import dev.tally.http.JsonBody;
import dev.tally.http.Routes;
import dev.tally.tenant.Tenant;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Operator endpoints for tenants, behind the admin token. */
public final class TenantRoutes implements Routes {
    private final TenantService tenants;
    private final RequestAuth auth;
    private final boolean retentionAvailable;

    /** @param retentionAvailable whether the store deletes raw events by age, so that {@code retention_days} can be set */
    public TenantRoutes(TenantService tenants, RequestAuth auth, boolean retentionAvailable) {
        this.tenants = tenants;
        this.auth = auth;
        this.retentionAvailable = retentionAvailable;
    }

    @Override
    public void register(Javalin app) {
        app.post("/admin/tenants", this::create);
        app.get("/admin/tenants", context -> {
            auth.admin(context);
            context.json(Map.of("tenants", tenants.list().stream().map(TenantRoutes::view).toList()));
        });
        app.get("/admin/tenants/{id}", context -> {
            auth.admin(context);
            context.json(view(tenants.require(context.pathParam("id"))));
        });
        app.patch("/admin/tenants/{id}", this::update);
    }

    private void create(Context context) {
        auth.admin(context);
        JsonBody body = JsonBody.of(context);
        refuseRetentionWhereUnavailable(body);
        Tenant tenant = tenants.create(body.text("id"), body.text("name"));
        if (hasSettings(body)) {
            tenant = tenants.update(applySettings(tenant, body));
        }
        context.status(201).json(view(tenant));
    }

    private void update(Context context) {
        auth.admin(context);
        Tenant tenant = tenants.require(context.pathParam("id"));
        JsonBody body = JsonBody.of(context);
        if (body.has("id")) {
            throw ApiError.badRequest("id", "cannot be changed");
        }
        refuseRetentionWhereUnavailable(body);
        context.json(view(tenants.update(applySettings(tenant, body))));
    }

    private void refuseRetentionWhereUnavailable(JsonBody body) {
        if (!retentionAvailable && body.has("retention_days")) {
            throw ApiError.conflict("retention_days", "this store does not delete raw events by age yet");
        }
    }

    private static boolean hasSettings(JsonBody body) {
        return body.has("max_concurrent_calls") || body.has("instructions") || body.has("store_sms_bodies")
                || body.sent("retention_days");
    }

    private static Tenant applySettings(Tenant tenant, JsonBody body) {
        String name = body.has("name") ? body.requiredText("name") : tenant.name();
        Integer limit = body.has("max_concurrent_calls") ? body.integer("max_concurrent_calls") : tenant.maxConcurrentCalls();
        if (limit != null && limit < 0) {
            throw ApiError.badRequest("max_concurrent_calls", "must not be negative");
        }
        String instructions = body.has("instructions") ? body.text("instructions") : tenant.instructions();
        boolean storeSmsBodies = body.has("store_sms_bodies") ? body.bool("store_sms_bodies") : tenant.storeSmsBodies();
        // null clears a retention: raw events are kept forever again
        Integer retentionDays = body.sent("retention_days") ? body.integer("retention_days") : tenant.retentionDays();
        if (retentionDays != null && (retentionDays < 1 || retentionDays > dev.tally.tenant.Retention.MAX_DAYS)) {
            throw ApiError.badRequest("retention_days", "must be a whole number of days from 1 to "
                    + dev.tally.tenant.Retention.MAX_DAYS + ", or null to keep raw events forever");
        }
        return new Tenant(tenant.id(), name, tenant.createdMs(), limit, instructions, storeSmsBodies, retentionDays);
    }

    static Map<String, Object> view(Tenant tenant) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", tenant.id());
        view.put("name", tenant.name());
        view.put("created_at", java.time.Instant.ofEpochMilli(tenant.createdMs()).toString());
        view.put("max_concurrent_calls", tenant.maxConcurrentCalls());
        view.put("instructions", tenant.instructions());
        view.put("store_sms_bodies", tenant.storeSmsBodies());
        view.put("retention_days", tenant.retentionDays());
        return view;
    }
}
