package dev.tally.integrations.retell;

import dev.tally.error.Rejection;
import dev.tally.http.RequestBody;
import dev.tally.http.Routes;
import dev.tally.ingest.api.IngestResult;
import dev.tally.integrations.IntegrationSecrets;
import dev.tally.integrations.MappedEvent;
import dev.tally.integrations.Payload;
import dev.tally.integrations.ReceiverIngest;
import dev.tally.tenant.IntegrationProvider;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/integrations/retell/{tenant_id}}: the webhook URL of a tenant's Retell agents.
 * {@code call_ended} and {@code call_analyzed} become the call and its parts, {@code call_analyzed}
 * at a higher revision so its richer call replaces the first; every other event is answered 200 and
 * ignored, so Retell can send them all here.
 *
 * <p>Retell signs each webhook with the account's API key ({@link RetellSignature}); a signature that
 * is missing, malformed, out of its window or not the tenant's is a 401, the same whether the
 * tenant exists, has no Retell key or has another one.
 */
public final class RetellRoutes implements Routes {
    static final String CALL_ENDED = "call_ended";
    static final String CALL_ANALYZED = "call_analyzed";

    private final IntegrationSecrets secrets;
    private final ReceiverIngest ingest;
    private final Clock clock;
    private final long maxBodyBytes;

    public RetellRoutes(IntegrationSecrets secrets, ReceiverIngest ingest, Clock clock, long maxBodyBytes) {
        this.secrets = secrets;
        this.ingest = ingest;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void register(Javalin app) {
        app.post("/v1/integrations/retell/{tenant_id}", this::receive);
    }

    private void receive(Context context) {
        String tenantId = context.pathParam("tenant_id");
        RetellSignature signature = RetellSignature.parse(context.header(RetellSignature.HEADER), clock.millis());
        byte[] body = RequestBody.read(context, maxBodyBytes);
        Optional<String> key = secrets.secretOf(tenantId, IntegrationProvider.RETELL);
        if (key.isEmpty() || !signature.matches(body, key.get())) {
            throw Rejection.unauthenticated(RetellSignature.HEADER + " is not signed with the tenant's Retell API key");
        }
        Payload webhook = Payload.parse(body);
        String event = webhook.requiredText("event", 128);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("event", event);
        Optional<Long> revision = revision(event);
        if (revision.isEmpty()) {
            answer.put("ignored", true);
            context.json(answer);
            return;
        }
        List<MappedEvent> events = RetellCall.events(webhook.object("call"), revision.get());
        IngestResult result = ingest.store(tenantId, events);
        ReceiverIngest.requireAllStored(result, "webhook");
        answer.put("call_id", events.get(0).json().path("id").asText());
        answer.put("revision", revision.get());
        answer.put("accepted", result.accepted());
        answer.put("duplicates", result.duplicates());
        answer.put("results", result.results());
        context.json(answer);
    }

    /**
     * The revision a used event stores its call at: the analysis completes what the end said, so it
     * is the higher one; empty for an event Tally does not use.
     */
    private static Optional<Long> revision(String event) {
        return switch (event) {
            case CALL_ENDED -> Optional.of(1L);
            case CALL_ANALYZED -> Optional.of(2L);
            default -> Optional.empty();
        };
    }

}
