package dev.tally.fairness;

import dev.tally.access.RequestAuth;
import dev.tally.access.TenantService;
import dev.tally.http.ApiError;
import dev.tally.http.JsonBody;
import dev.tally.http.Routes;
import dev.tally.store.MetadataStore;
import dev.tally.tenant.TenantLimits;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code /admin/tenants/{id}/limits}: a tenant's own limits (PUT), those in force (GET: its own or
 * the defaults), and back to the defaults (DELETE). Every field is optional in a PUT; one left out
 * keeps the default.
 */
public final class LimitsRoutes implements Routes {
    private static final String PATH = "/admin/tenants/{id}/limits";
    private static final Set<String> FIELDS = Set.of("ingest_per_second", "reports_per_second", "ingest_in_flight",
            "reports_in_flight", "key_per_second");
    private static final int MAX = 1_000_000;

    private final Fairness fairness;
    private final MetadataStore metadata;
    private final TenantService tenants;
    private final RequestAuth auth;

    public LimitsRoutes(Fairness fairness, MetadataStore metadata, TenantService tenants, RequestAuth auth) {
        this.fairness = fairness;
        this.metadata = metadata;
        this.tenants = tenants;
        this.auth = auth;
    }

    @Override
    public void register(Javalin app) {
        app.get(PATH, context -> {
            String tenant = tenant(context);
            context.json(view(tenant, fairness.limitsOf(tenant), metadata.tenantLimits(tenant).isPresent()));
        });
        app.put(PATH, context -> {
            String tenant = tenant(context);
            JsonBody body = JsonBody.of(context);
            body.onlyFields(FIELDS, "limits");
            TenantLimits defaults = TenantLimits.DEFAULTS;
            TenantLimits limits = new TenantLimits(number(body, "ingest_per_second", defaults.ingestPerSecond()),
                    number(body, "reports_per_second", defaults.reportsPerSecond()),
                    number(body, "ingest_in_flight", defaults.ingestInFlight()),
                    number(body, "reports_in_flight", defaults.reportsInFlight()),
                    number(body, "key_per_second", defaults.keyPerSecond()));
            metadata.putTenantLimits(tenant, limits);
            fairness.changed(tenant, limits);
            context.json(view(tenant, limits, true));
        });
        app.delete(PATH, context -> {
            String tenant = tenant(context);
            metadata.deleteTenantLimits(tenant);
            fairness.changed(tenant, TenantLimits.DEFAULTS);
            context.json(view(tenant, TenantLimits.DEFAULTS, false));
        });
    }

    private String tenant(Context context) {
        auth.admin(context);
        String tenant = context.pathParam("id");
        if (tenants.find(tenant).isEmpty()) {
            throw ApiError.notFound("tenant_id", "no tenant has this id");
        }
        return tenant;
    }

    private static int number(JsonBody body, String field, int fallback) {
        Integer value = body.integer(field);
        if (value == null) {
            return fallback;
        }
        if (value < 0 || value > MAX) {
            throw ApiError.badRequest(field, "must be a whole number from 0 (no limit) to " + MAX);
        }
        return value;
    }

    private static Map<String, Object> view(String tenant, TenantLimits limits, boolean own) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("tenant_id", tenant);
        view.put("source", own ? "tenant" : "defaults");
        view.put("ingest_per_second", limits.ingestPerSecond());
        view.put("reports_per_second", limits.reportsPerSecond());
        view.put("ingest_in_flight", limits.ingestInFlight());
        view.put("reports_in_flight", limits.reportsInFlight());
        view.put("key_per_second", limits.keyPerSecond());
        return view;
    }
}
