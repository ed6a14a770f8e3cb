package dev.tally.lifecycle.erasure;

import dev.tally.access.RequestAuth;
import dev.tally.access.TenantService;
import dev.tally.http.ApiError;
import dev.tally.http.JsonBody;
import dev.tally.http.Routes;
import dev.tally.tenant.Erasure;
import dev.tally.tenant.ErasureSubject;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /admin/erasures} starts the erasure of a data subject (one identifier of one tenant);
 * {@code GET /admin/erasures/{id}} follows it; {@code GET /admin/erasures} is the audit log.
 * Behind the admin token: erasure changes data of every report.
 */
public final class ErasureRoutes implements Routes {
    private static final int MAX_IDENTIFIER = 256;
    private static final int MAX_REFERENCE = 200;

    private final ErasureService erasures;
    private final TenantService tenants;
    private final RequestAuth auth;

    public ErasureRoutes(ErasureService erasures, TenantService tenants, RequestAuth auth) {
        this.erasures = erasures;
        this.tenants = tenants;
        this.auth = auth;
    }

    @Override
    public void register(Javalin app) {
        app.post("/admin/erasures", this::create);
        app.get("/admin/erasures", this::list);
        app.get("/admin/erasures/{id}", context -> {
            auth.admin(context);
            Erasure erasure = erasures.find(context.pathParam("id"))
                    .orElseThrow(() -> ApiError.notFound("id", "no erasure has this id"));
            context.json(view(erasure));
        });
    }

    private void create(Context context) {
        auth.admin(context);
        JsonBody body = JsonBody.of(context);
        Set<String> known = new java.util.HashSet<>(Set.of("tenant_id", "reference"));
        for (ErasureSubject subject : ErasureSubject.values()) {
            known.add(subject.wireName());
        }
        body.onlyFields(known, "erasure");
        String tenantId = body.requiredText("tenant_id");
        if (tenants.find(tenantId).isEmpty()) {
            throw ApiError.badRequest("tenant_id", "no tenant has this id");
        }
        List<ErasureSubject> named = new ArrayList<>();
        for (ErasureSubject subject : ErasureSubject.values()) {
            if (body.has(subject.wireName())) {
                named.add(subject);
            }
        }
        if (named.size() != 1) {
            throw ApiError.badRequest(named.isEmpty() ? "member_id" : named.get(1).wireName(),
                    "exactly one of member_id, phone_number, user_email or call_id names the subject to erase");
        }
        ErasureSubject subject = named.get(0);
        String identifier = body.requiredText(subject.wireName());
        if (identifier.length() > MAX_IDENTIFIER) {
            throw ApiError.badRequest(subject.wireName(), "must be at most " + MAX_IDENTIFIER + " characters");
        }
        String reference = body.text("reference");
        if (reference != null && reference.length() > MAX_REFERENCE) {
            throw ApiError.badRequest("reference", "must be at most " + MAX_REFERENCE + " characters");
        }
        Erasure erasure = erasures.request(tenantId, subject, identifier, reference);
        context.header("Location", "/admin/erasures/" + erasure.id());
        context.status(202).json(view(erasure));
    }

    private void list(Context context) {
        auth.admin(context);
        String tenantId = context.queryParam("tenant_id");
        context.json(Map.of("erasures", erasures.list(tenantId == null || tenantId.isEmpty() ? null : tenantId)
                .stream().map(ErasureRoutes::view).toList()));
    }

    static Map<String, Object> view(Erasure erasure) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", erasure.id());
        view.put("tenant_id", erasure.tenantId());
        view.put("subject", erasure.subject().wireName());
        view.put("pseudonym", erasure.pseudonym());
        view.put("requested_by", erasure.requestedBy());
        view.put("reference", erasure.reference());
        view.put("requested_at", Instant.ofEpochMilli(erasure.requestedMs()).toString());
        view.put("state", erasure.state().wireName());
        view.put("finished_at", erasure.finishedMs() == null ? null : Instant.ofEpochMilli(erasure.finishedMs()).toString());
        view.put("rows", erasure.rows());
        view.put("failure", erasure.failure());
        return view;
    }
}
