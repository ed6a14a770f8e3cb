package dev.tally.integrations.otlp;

import dev.tally.access.RequestAuth;
import dev.tally.auth.Principal;
import dev.tally.auth.Scope;
import dev.tally.error.Rejection;
import dev.tally.http.ApiError;
import dev.tally.http.RequestBody;
import dev.tally.http.Routes;
import dev.tally.ingest.api.IngestService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * {@code POST /v1/otlp/v1/traces}: an OTLP/HTTP trace endpoint, so an application instrumented with
 * OpenTelemetry's GenAI conventions (OpenLLMetry, LiveKit Agents, Pipecat, …) reports its model usage
 * by setting its exporter's endpoint to {@code …/v1/otlp} and its headers to an {@code events:write}
 * key. The tenant is the key's; nothing in the export can name another.
 *
 * <p>Both encodings, gzip or not; the answer is an {@code ExportTraceServiceResponse} in the
 * request's encoding. A body that is no trace export is a 400 naming the problem; a store that
 * failed part way is a 503, which exporters retry (what was stored is then a duplicate).
 */
public final class OtlpRoutes implements Routes {
    public static final String PATH = "/v1/otlp/v1/traces";

    private final RequestAuth auth;
    private final TraceExport export;
    private final long maxBodyBytes;

    public OtlpRoutes(RequestAuth auth, IngestService ingest, long maxBodyBytes) {
        this.auth = auth;
        this.export = new TraceExport(ingest);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void register(Javalin app) {
        app.post(PATH, this::receive);
    }

    private void receive(Context context) {
        Principal principal = auth.bearer(context, Scope.EVENTS_WRITE);
        if (principal.tenantId() == null) {
            throw Rejection.forbidden("a platform key belongs to no tenant and an export names none: use a key of"
                    + " the tenant the spans belong to");
        }
        OtlpEncoding encoding = OtlpEncoding.of(context.contentType());
        byte[] body = decompressed(context.header("Content-Encoding"), RequestBody.read(context, maxBodyBytes));
        ExportTraceServiceResponse response = export.store(principal.tenantId(), encoding.decode(body));
        context.status(200).contentType(encoding.contentType()).result(encoding.encode(response));
    }

    /** The body as sent, or inflated when gzip: never past the body limit, so a small bomb stays small. */
    private byte[] decompressed(String contentEncoding, byte[] body) {
        String coding = contentEncoding == null ? "identity" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        if (coding.isEmpty() || coding.equals("identity")) {
            return body;
        }
        if (!coding.equals("gzip")) {
            throw new ApiError(415, "unsupported_encoding", "Content-Encoding", "must be gzip or absent");
        }
        try (InputStream inflated = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] bytes = inflated.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (bytes.length > maxBodyBytes) {
                throw new ApiError(413, "body_too_large", "body", "inflates past the limit of " + maxBodyBytes
                        + " bytes; export smaller batches");
            }
            return bytes;
        } catch (IOException notGzip) {
            throw new ApiError(400, "invalid_gzip", "body", "is not valid gzip: " + notGzip.getMessage());
        }
    }
}
