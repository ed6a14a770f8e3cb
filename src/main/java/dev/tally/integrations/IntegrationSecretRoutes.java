package dev.tally.integrations;

import dev.tally.access.RequestAuth;
import dev.tally.error.Rejection;
import dev.tally.http.JsonBody;
import dev.tally.http.Routes;
import dev.tally.tenant.IntegrationProvider;
import dev.tally.tenant.IntegrationSecret;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Operator endpoints for a tenant's webhook secrets, behind the admin token. No answer ever holds a secret. */
public final class IntegrationSecretRoutes implements Routes {
    private static final String ONE = "/admin/tenants/{id}/integrations/{provider}";

    private final IntegrationSecrets secrets;
    private final RequestAuth auth;

    public IntegrationSecretRoutes(IntegrationSecrets secrets, RequestAuth auth) {
        this.secrets = secrets;
        this.auth = auth;
    }

    @Override
    public void register(Javalin app) {
        app.get("/admin/tenants/{id}/integrations", this::list);
        app.put(ONE, this::set);
        app.delete(ONE, this::remove);
    }

    private void list(Context context) {
        auth.admin(context);
        String tenantId = context.pathParam("id");
        List<IntegrationSecret> stored = secrets.list(tenantId);
        List<Map<String, Object>> integrations = new ArrayList<>();
        for (IntegrationProvider provider : IntegrationProvider.values()) {
            integrations.add(view(provider, stored.stream().filter(secret -> secret.provider() == provider)
                    .findFirst().orElse(null)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant_id", tenantId);
        body.put("integrations", integrations);
        context.json(body);
    }

    private void set(Context context) {
        auth.admin(context);
        IntegrationProvider provider = IntegrationSecrets.provider(context.pathParam("provider"));
        JsonBody body = JsonBody.of(context);
        IntegrationSecret stored = secrets.set(context.pathParam("id"), provider, body.text("secret"));
        context.json(view(provider, stored));
    }

    private void remove(Context context) {
        auth.admin(context);
        IntegrationProvider provider = IntegrationSecrets.provider(context.pathParam("provider"));
        if (!secrets.remove(context.pathParam("id"), provider)) {
            throw Rejection.notFound("provider", "the tenant has no " + provider.wireName() + " secret");
        }
        context.status(204);
    }

    private static Map<String, Object> view(IntegrationProvider provider, IntegrationSecret secret) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("provider", provider.wireName());
        view.put("set", secret != null);
        view.put("set_at", secret == null ? null : Instant.ofEpochMilli(secret.setMs()).toString());
        return view;
    }
}
