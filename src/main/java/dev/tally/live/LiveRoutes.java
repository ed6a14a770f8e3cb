package dev.tally.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.access.RequestAuth;
import dev.tally.access.TenantService;
import dev.tally.auth.Principal;
import dev.tally.auth.Scope;
import dev.tally.http.ApiError;
import dev.tally.http.ErrorResponse;
import dev.tally.http.JsonBody;
import dev.tally.http.Routes;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Call control for gateways (a tenant key with events:write) and the live views for operators
 * (the admin token). Every decision is a 200 whose {@code decision} field says accepted or rejected;
 * anything else (4xx, 503) means no decision was made and the gateway may retry with the same event_id.
 */
public final class LiveRoutes implements Routes {
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final Set<String> DIRECTIONS = Set.of("inbound", "outbound");
    /** Above any real call; keeps the milliseconds far inside a long. */
    private static final BigDecimal MAX_DURATION_SECONDS = BigDecimal.valueOf(31L * 24 * 3600);

    private final LiveService live;
    private final TenantService tenants;
    private final RequestAuth auth;

    public LiveRoutes(LiveService live, TenantService tenants, RequestAuth auth) {
        this.live = live;
        this.tenants = tenants;
        this.auth = auth;
    }

    @Override
    public void register(Javalin app) {
        app.exception(LiveStateUnavailable.class, (failure, context) -> ErrorResponse.render(context,
                new ApiError(503, "live_state_unavailable", null, "live state unavailable; retry shortly")));
        app.events(events -> events.serverStopped(live::close));
        app.post("/v1/calls/admit", this::admit);
        app.post("/v1/calls/{call_id}/start", context -> {
            String tenantId = gatewayTenant(context);
            JsonBody body = JsonBody.of(context);
            context.json(live.start(tenantId, pathCallId(context), text(body, "event_id", 128, true)));
        });
        app.post("/v1/calls/{call_id}/end", this::end);
        app.get("/api/v1/metrics/live", context -> {
            auth.admin(context);
            context.json(live.metrics(null));
        });
        app.get("/api/v1/metrics/live/{tenant_id}", context -> {
            auth.admin(context);
            context.json(live.metrics(tenants.require(context.pathParam("tenant_id")).id()));
        });
        app.get("/api/v1/metrics/capacity/debug", context -> {
            auth.admin(context);
            context.json(live.capacity());
        });
        app.get("/api/v1/calls", context -> {
            auth.admin(context);
            context.json(Map.of("calls", live.sessions()));
        });
        app.post("/api/v1/calls/reap", context -> {
            auth.admin(context);
            context.json(Map.of("reaped", live.reapNow()));
        });
    }

    private void admit(Context context) {
        String tenantId = gatewayTenant(context);
        JsonBody body = JsonBody.of(context);
        String direction = text(body, "direction", 16, false);
        if (direction != null && !DIRECTIONS.contains(direction)) {
            throw ApiError.badRequest("direction", "must be inbound or outbound");
        }
        String phoneNumber = text(body, "phone_number", 32, false);
        if (phoneNumber != null && !E164.matcher(phoneNumber).matches()) {
            throw ApiError.badRequest("phone_number", "must be an E.164 number like +14155550100");
        }
        LiveService.AdmitCommand command = new LiveService.AdmitCommand(text(body, "event_id", 128, true),
                text(body, "call_id", 128, true), text(body, "agent_id", 256, false), direction, phoneNumber);
        context.json(live.admit(tenantId, command));
    }

    private void end(Context context) {
        String tenantId = gatewayTenant(context);
        JsonBody body = JsonBody.of(context);
        String eventId = text(body, "event_id", 128, true);
        CallOutcome outcome = CallOutcome.fromWire(text(body, "outcome", 16, true))
                .orElseThrow(() -> ApiError.badRequest("outcome", "must be completed, failed or referred"));
        context.json(live.end(tenantId, pathCallId(context), eventId, outcome, durationMs(body)));
    }

    private static Long durationMs(JsonBody body) {
        JsonNode value = body.raw("duration_seconds");
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw ApiError.badRequest("duration_seconds", "must be a number of seconds");
        }
        BigDecimal seconds = value.decimalValue();
        if (seconds.signum() < 0 || seconds.compareTo(MAX_DURATION_SECONDS) > 0) {
            throw ApiError.badRequest("duration_seconds", "must be between 0 and " + MAX_DURATION_SECONDS);
        }
        return seconds.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    /** Call control acts for one tenant: the key's. A platform key cannot say whose call it is. */
    private String gatewayTenant(Context context) {
        Principal principal = auth.bearer(context, Scope.EVENTS_WRITE);
        if (principal.tenantId() == null) {
            throw ApiError.forbidden("call control needs a tenant's key; a platform key belongs to no tenant");
        }
        return principal.tenantId();
    }

    private static String pathCallId(Context context) {
        String callId = context.pathParam("call_id");
        if (callId.isBlank() || callId.length() > 128) {
            throw ApiError.badRequest("call_id", "must be 1–128 characters");
        }
        return callId;
    }

    private static String text(JsonBody body, String field, int maxLength, boolean required) {
        String text = required ? body.requiredText(field) : body.text(field);
        if (text != null && text.length() > maxLength) {
            throw ApiError.badRequest(field, "must be at most " + maxLength + " characters");
        }
        return text;
    }
}
