package dev.tally.integrations.twilio;

import dev.tally.error.Rejection;
import dev.tally.http.ApiError;
import dev.tally.http.RequestBody;
import dev.tally.http.Routes;
import dev.tally.ingest.api.IngestResult;
import dev.tally.integrations.IntegrationSecrets;
import dev.tally.integrations.ReceiverIngest;
import dev.tally.tenant.IntegrationProvider;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/integrations/twilio/{tenant_id}/sms} and {@code …/voice}: the status callback URLs
 * of a tenant's Twilio messages and calls. Each callback is checked with {@code X-Twilio-Signature}
 * and the tenant's auth token over the URL Twilio called ({@link TwilioRequestUrl}); a missing or
 * wrong signature is a 401 whatever the tenant id, so the route tells an unauthenticated caller
 * nothing about which tenants exist. A callback Tally stores becomes one event through the same
 * ingest as {@code POST /v1/events}; the answer is JSON, which Twilio ignores for status callbacks.
 */
public final class TwilioRoutes implements Routes {
    private static final String FORM = "application/x-www-form-urlencoded";
    /**
     * The body is read before the signature can be checked, so its limit is far below the ingest's:
     * a callback is a few kilobytes, an incoming message's text at most 1,600 characters.
     */
    private static final long MAX_CALLBACK_BYTES = 1024 * 1024;

    /** Makes one callback's event from its parameters, the route's {@code agent_id} and when it arrived. */
    private interface Mapping {
        TwilioCallback map(TwilioForm form, String agentId, Instant received);
    }

    private final IntegrationSecrets secrets;
    private final ReceiverIngest ingest;
    private final Clock clock;
    private final long maxBodyBytes;
    private final String publicBase;
    /** Checks a callback to a tenant without a token as long as one with a token, so timing tells nothing either. */
    private final String unknownTenantToken;

    public TwilioRoutes(IntegrationSecrets secrets, ReceiverIngest ingest, Clock clock, long maxBodyBytes,
                        String publicUrl) {
        this.secrets = secrets;
        this.ingest = ingest;
        this.clock = clock;
        this.maxBodyBytes = Math.min(maxBodyBytes, MAX_CALLBACK_BYTES);
        this.publicBase = TwilioRequestUrl.publicBase(publicUrl);
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.unknownTenantToken = Base64.getEncoder().encodeToString(random);
    }

    @Override
    public void register(Javalin app) {
        app.post("/v1/integrations/twilio/{tenant_id}/sms", context -> receive(context, TwilioMessage::map));
        app.post("/v1/integrations/twilio/{tenant_id}/voice", context -> receive(context, TwilioCall::map));
    }

    private void receive(Context context, Mapping mapping) {
        String tenantId = context.pathParam("tenant_id");
        String contentType = context.contentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(FORM)) {
            throw new ApiError(415, "unsupported_media_type", "Content-Type", "must be " + FORM
                    + ", as Twilio sends status callbacks");
        }
        TwilioForm form = TwilioForm.parse(RequestBody.read(context, maxBodyBytes));
        authenticate(context, tenantId, form);
        String agentId = context.queryParam("agent_id");
        TwilioCallback callback = mapping.map(form, agentId == null || agentId.isEmpty() ? null : agentId,
                clock.instant());
        context.json(answer(tenantId, callback));
    }

    /** Stores the callback's event unless its status is ignored; the answer says which, and what ingest did. */
    private Map<String, Object> answer(String tenantId, TwilioCallback callback) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", callback.id());
        answer.put("status", callback.status());
        if (callback.isIgnored()) {
            answer.put("ignored", true);
            return answer;
        }
        IngestResult result = ingest.store(tenantId, List.of(callback.event()));
        if (result.results().stream().anyMatch(item -> "type".equals(item.field()))) {
            throw ApiError.conflict(callback.event().sourceOf("id", "body"), "is the id of a stored event of"
                    + " another type, sent some other way; that event is kept");
        }
        ReceiverIngest.requireAllStored(result, "callback");
        answer.put("revision", callback.revision());
        answer.put("accepted", result.accepted());
        answer.put("duplicates", result.duplicates());
        answer.put("results", result.results());
        return answer;
    }

    private void authenticate(Context context, String tenantId, TwilioForm form) {
        String given = context.header(TwilioSignature.HEADER);
        Optional<TwilioSignature.Algorithm> algorithm = TwilioSignature.algorithm(
                context.header(TwilioSignature.SETTINGS_HEADER));
        if (given == null || given.isEmpty()) {
            throw Rejection.unauthenticated("send " + TwilioSignature.HEADER + ", Twilio's signature of the request"
                    + " with the tenant's auth token");
        }
        if (algorithm.isEmpty()) {
            throw Rejection.unauthenticated(TwilioSignature.SETTINGS_HEADER + " names an algorithm Tally does not"
                    + " know (HMAC_SHA1, HMAC_SHA256)");
        }
        Optional<String> token = secrets.secretOf(tenantId, IntegrationProvider.TWILIO);
        boolean verified = TwilioSignature.verifies(given, algorithm.get(), token.orElse(unknownTenantToken),
                TwilioRequestUrl.candidates(context, publicBase), form.parameters());
        if (!verified || token.isEmpty()) {
            throw Rejection.unauthenticated(TwilioSignature.HEADER + " is not Twilio's signature of this request"
                    + " with the tenant's auth token" + (publicBase == null ? "" : " over " + publicBase));
        }
    }
}
