package dev.tally.integrations.otlp;

import dev.tally.error.Rejection;
import dev.tally.http.ApiError;
import dev.tally.ingest.EventJson;
import dev.tally.ingest.api.IngestResult;
import dev.tally.ingest.api.IngestService;
import dev.tally.integrations.MappedEvent;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores one OTLP trace export for a tenant: every model-request span becomes an {@code llm} event,
 * through the same ingest as {@code POST /v1/events}. A span whose GenAI values are wrong, or whose
 * event the contract refuses, is left out and named in OTLP's {@code partialSuccess}; the others are
 * stored, as OTLP asks of a receiver. Every span is read once, whatever the number refused.
 */
final class TraceExport {
    /** Enough for an operator to find the spans at fault; the count says how many there were. */
    private static final int MAX_NAMED_REJECTIONS = 10;
    /** The field the ingest names when the store, not the event, failed: the contract never refuses it. */
    private static final String STORE_FAILURE_FIELD = "event";

    private final IngestService ingest;

    TraceExport(IngestService ingest) {
        this.ingest = ingest;
    }

    ExportTraceServiceResponse store(String tenantId, ExportTraceServiceRequest request) {
        List<MappedEvent> events = new ArrayList<>();
        List<String> rejections = new ArrayList<>();
        for (int resourceIndex = 0; resourceIndex < request.getResourceSpansCount(); resourceIndex++) {
            ResourceSpans resource = request.getResourceSpans(resourceIndex);
            String serviceName = serviceName(resource.getResource().getAttributesList());
            for (int scopeIndex = 0; scopeIndex < resource.getScopeSpansCount(); scopeIndex++) {
                ScopeSpans scope = resource.getScopeSpans(scopeIndex);
                for (int spanIndex = 0; spanIndex < scope.getSpansCount(); spanIndex++) {
                    String path = "resourceSpans[" + resourceIndex + "].scopeSpans[" + scopeIndex + "].spans["
                            + spanIndex + "]";
                    Span span = scope.getSpans(spanIndex);
                    try {
                        GenAiSpan.event(span, path, serviceName).ifPresent(events::add);
                    } catch (Rejection wrong) {
                        rejections.add(wrong.field() + " " + wrong.reason());
                    }
                }
            }
        }
        write(tenantId, events, rejections);
        ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
        if (!rejections.isEmpty()) {
            response.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejections.size())
                    .setErrorMessage(message(rejections)));
        }
        return response.build();
    }

    /**
     * Stores the events the contract accepts, each on its own as a span stands alone; one the contract
     * refuses (or whose id is stored with another type) is named by the span field it came from.
     */
    private void write(String tenantId, List<MappedEvent> events, List<String> rejections) {
        if (events.isEmpty()) {
            return;
        }
        IngestResult result = ingest.ingestEachForTenant(tenantId,
                events.stream().map(event -> EventJson.of(event.json())).toList());
        int storeFailures = 0;
        for (IngestResult.Item item : result.results()) {
            if (!item.status().equals("rejected")) {
                continue;
            }
            if (item.field().equals(STORE_FAILURE_FIELD)) {
                storeFailures++;
                continue;
            }
            MappedEvent event = events.get(item.index());
            rejections.add(event.sourceOf(item.field(), event.json().path("id").asText()) + " " + item.reason());
        }
        if (storeFailures > 0) {
            // the store failed part way: what it stored is a duplicate when the exporter retries
            throw new ApiError(503, "store_unavailable", "body", "the store could not write " + storeFailures
                    + " of the export's spans; export them again");
        }
    }

    private static String message(List<String> rejections) {
        StringBuilder message = new StringBuilder(rejections.size() + " span(s) rejected: ");
        message.append(String.join("; ", rejections.subList(0, Math.min(rejections.size(), MAX_NAMED_REJECTIONS))));
        if (rejections.size() > MAX_NAMED_REJECTIONS) {
            message.append("; and ").append(rejections.size() - MAX_NAMED_REJECTIONS).append(" more");
        }
        return message.toString();
    }

    private static String serviceName(List<KeyValue> resourceAttributes) {
        for (KeyValue attribute : resourceAttributes) {
            if (attribute.getKey().equals("service.name") && attribute.getValue().hasStringValue()) {
                return attribute.getValue().getStringValue();
            }
        }
        return null;
    }
}
