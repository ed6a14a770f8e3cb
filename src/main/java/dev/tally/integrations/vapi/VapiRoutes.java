package dev.tally.integrations.vapi;

import dev.tally.access.RequestAuth;
import dev.tally.auth.KeySecrets;
import dev.tally.auth.Principal;
import dev.tally.auth.Scope;
import dev.tally.error.Rejection;
import dev.tally.http.RequestBody;
import dev.tally.http.Routes;
import dev.tally.ingest.api.IngestResult;
import dev.tally.integrations.IntegrationSecrets;
import dev.tally.integrations.Payload;
import dev.tally.integrations.ReceiverIngest;
import dev.tally.tenant.IntegrationProvider;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/integrations/vapi/{tenant_id}}: the Server URL of a tenant's Vapi assistants.
 * {@code end-of-call-report} messages become the call and its parts; every other message type is
 * answered 200 and ignored, so Vapi can send them all here.
 *
 * <p>Vapi authenticates with the server secret it is configured with, sent as {@code X-Vapi-Secret}
 * (or as a Bearer token by a bearer credential); a Tally {@code events:write} key of the same tenant
 * is accepted too. Anything else is a 401, whatever the tenant id, so the route tells an
 * unauthenticated caller nothing about which tenants exist.
 */
public final class VapiRoutes implements Routes {
    public static final String SECRET_HEADER = "X-Vapi-Secret";
    static final String END_OF_CALL_REPORT = "end-of-call-report";

    private final IntegrationSecrets secrets;
    private final RequestAuth auth;
    private final ReceiverIngest ingest;
    private final long maxBodyBytes;

    public VapiRoutes(IntegrationSecrets secrets, RequestAuth auth, ReceiverIngest ingest, long maxBodyBytes) {
        this.secrets = secrets;
        this.auth = auth;
        this.ingest = ingest;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void register(Javalin app) {
        app.post("/v1/integrations/vapi/{tenant_id}", this::receive);
    }

    private void receive(Context context) {
        String tenantId = context.pathParam("tenant_id");
        authenticate(context, tenantId);
        Payload message = Payload.parse(RequestBody.read(context, maxBodyBytes)).object("message");
        String type = message.requiredText("type", 128);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("type", type);
        if (!type.equals(END_OF_CALL_REPORT)) {
            answer.put("ignored", true);
            context.json(answer);
            return;
        }
        var events = VapiEndOfCallReport.events(message);
        IngestResult result = ingest.store(tenantId, events);
        ReceiverIngest.requireAllStored(result, "report");
        answer.put("call_id", events.get(0).json().path("id").asText());
        answer.put("accepted", result.accepted());
        answer.put("duplicates", result.duplicates());
        answer.put("results", result.results());
        context.json(answer);
    }

    private void authenticate(Context context, String tenantId) {
        String given = context.header(SECRET_HEADER);
        String authorization = context.header("Authorization");
        if (given == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            if (matchesSecret(tenantId, token)) {
                return;
            }
            Principal principal = auth.bearer(context);
            if (!tenantId.equals(principal.tenantId()) || !principal.has(Scope.EVENTS_WRITE)) {
                throw Rejection.unauthenticated("the API key is not an " + Scope.EVENTS_WRITE.wireName()
                        + " key of this tenant");
            }
            return;
        }
        if (given == null) {
            throw Rejection.unauthenticated("send " + SECRET_HEADER + " with the tenant's Vapi secret, or"
                    + " Authorization: Bearer with an " + Scope.EVENTS_WRITE.wireName() + " key of the tenant");
        }
        if (!matchesSecret(tenantId, given)) {
            throw Rejection.unauthenticated(SECRET_HEADER + " is not the tenant's Vapi secret");
        }
    }

    private boolean matchesSecret(String tenantId, String given) {
        Optional<String> secret = secrets.secretOf(tenantId, IntegrationProvider.VAPI);
        return secret.isPresent() && KeySecrets.constantTimeEquals(secret.get(), given);
    }

}
