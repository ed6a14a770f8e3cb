package dev.tally.ingest.api;

import dev.tally.access.RequestAuth;
import dev.tally.auth.Principal;
import dev.tally.auth.Scope;
import dev.tally.http.RequestBody;
import dev.tally.http.Routes;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /v1/events}: the one ingest API for every kind of usage. */
public final class IngestRoutes implements Routes {
    private final IngestService ingest;
    private final RequestAuth auth;
    private final long maxBodyBytes;

    public IngestRoutes(IngestService ingest, RequestAuth auth, long maxBodyBytes) {
        this.ingest = ingest;
        this.auth = auth;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void register(Javalin app) {
        app.post("/v1/events", this::post);
    }

    private void post(Context context) {
        Principal principal = auth.bearer(context, Scope.EVENTS_WRITE);
        byte[] body = RequestBody.read(context, maxBodyBytes);
        IngestResult result = ingest.ingest(principal, body, context.contentType());
        if (result.httpStatus() == 200) {
            context.json(result);
            return;
        }
        IngestResult.Item first = result.results().get(0);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error", "invalid_event");
        error.put("field", first.field());
        error.put("reason", first.reason());
        error.put("message", "no event was stored; event " + first.index() + ": " + first.field() + " "
                + first.reason());
        error.put("accepted", result.accepted());
        error.put("duplicates", result.duplicates());
        error.put("rejected", result.rejected());
        error.put("results", result.results());
        context.status(result.httpStatus()).json(error);
    }
}
