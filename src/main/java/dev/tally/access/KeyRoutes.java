package dev.tally.access;

import dev.tally.auth.ApiKey;
import dev.tally.auth.Scope;
import dev.tally.http.ApiError;
import dev.tally.http.JsonBody;
import dev.tally.http.Routes;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Operator endpoints for API keys, behind the admin token. The secret appears in the create answer only. */
public final class KeyRoutes implements Routes {
    static final int DEFAULT_EXPIRY_DAYS = 90;

    private final KeyService keys;
    private final RequestAuth auth;

    public KeyRoutes(KeyService keys, RequestAuth auth) {
        this.keys = keys;
        this.auth = auth;
    }

    @Override
    public void register(Javalin app) {
        app.post("/admin/api-keys", this::create);
        app.get("/admin/api-keys", context -> {
            auth.admin(context);
            String tenantId = context.queryParam("tenant_id");
            context.json(Map.of("api_keys", keys.list(tenantId).stream().map(KeyRoutes::view).toList()));
        });
        app.delete("/admin/api-keys/{id}", this::revoke);
    }

    private void create(Context context) {
        auth.admin(context);
        JsonBody body = JsonBody.of(context);
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : body.texts("scopes")) {
            scopes.add(Scope.fromWire(name).orElseThrow(() -> ApiError.badRequest("scopes",
                    "unknown scope \"" + name + "\"; known: events:write, analytics:read, members:read, super-admin")));
        }
        Integer days = body.integer("expires_in_days");
        KeyService.CreatedKey created = keys.create(body.text("tenant_id"), body.text("name"), scopes,
                days == null ? DEFAULT_EXPIRY_DAYS : days, body.text("member_id"));
        Map<String, Object> view = view(created.key());
        view.put("key", created.secret());
        context.status(201).json(view);
    }

    private void revoke(Context context) {
        auth.admin(context);
        String id = context.pathParam("id");
        if (!keys.revoke(id)) {
            throw ApiError.notFound("id", "no live key " + id);
        }
        context.json(Map.of("id", id, "revoked", true));
    }

    static Map<String, Object> view(ApiKey key) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", key.id());
        view.put("name", key.name());
        view.put("tenant_id", key.tenantId());
        view.put("member_id", key.memberId());
        view.put("scopes", key.scopes().stream().map(Scope::wireName).sorted().toList());
        view.put("prefix", key.prefix());
        view.put("created_at", Instant.ofEpochMilli(key.createdMs()).toString());
        view.put("expires_at", Instant.ofEpochMilli(key.expiresMs()).toString());
        view.put("revoked_at", key.revokedMs() == null ? null : Instant.ofEpochMilli(key.revokedMs()).toString());
        return view;
    }
}
