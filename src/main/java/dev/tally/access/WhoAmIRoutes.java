package dev.tally.access;

import dev.tally.auth.ApiKey;
import dev.tally.auth.Scope;
import dev.tally.http.Routes;
import io.javalin.Javalin;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/whoami}: what the presented key is (tenant, scopes, member, id). The dashboard
 * signs in with a key alone and learns its workspace here, and can tell a person which scope a
 * page needs before the page's request fails. Any live key may ask; it only learns about itself.
 */
public final class WhoAmIRoutes implements Routes {
    private final RequestAuth auth;

    public WhoAmIRoutes(RequestAuth auth) {
        this.auth = auth;
    }

    @Override
    public void register(Javalin app) {
        app.get("/v1/whoami", context -> {
            ApiKey key = auth.bearer(context).key();
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("tenant_id", key.tenantId());
            view.put("scopes", key.scopes().stream().map(Scope::wireName).sorted().toList());
            view.put("member_id", key.memberId());
            view.put("key_id", key.id());
            context.json(view);
        });
    }
}
