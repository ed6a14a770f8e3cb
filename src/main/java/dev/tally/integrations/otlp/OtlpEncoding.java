package dev.tally.integrations.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.tally.http.ApiError;
import dev.tally.http.Json;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The two encodings of OTLP/HTTP: binary protobuf, and JSON, which is protobuf's JSON mapping but
 * for trace and span ids, written as hex where the mapping would write base64. The answer goes back
 * in the encoding the export came in.
 */
enum OtlpEncoding {
    PROTOBUF("application/x-protobuf"),
    JSON("application/json");

    private final String contentType;

    OtlpEncoding(String contentType) {
        this.contentType = contentType;
    }

    String contentType() {
        return contentType;
    }

    /** The encoding a request's Content-Type names; anything else is a 415 naming the header. */
    static OtlpEncoding of(String contentType) {
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (mediaType) {
            case "application/x-protobuf", "application/protobuf" -> PROTOBUF;
            case "application/json" -> JSON;
            default -> throw new ApiError(415, "unsupported_media_type", "Content-Type",
                    "must be application/x-protobuf or application/json (OTLP/HTTP's two encodings)");
        };
    }

    ExportTraceServiceRequest decode(byte[] body) {
        return switch (this) {
            case PROTOBUF -> decodeProtobuf(body);
            case JSON -> decodeJson(body);
        };
    }

    byte[] encode(ExportTraceServiceResponse response) {
        return switch (this) {
            case PROTOBUF -> response.toByteArray();
            case JSON -> printJson(response);
        };
    }

    private static ExportTraceServiceRequest decodeProtobuf(byte[] body) {
        try {
            return ExportTraceServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException malformed) {
            throw new ApiError(400, "invalid_protobuf", "body",
                    "is not an OTLP ExportTraceServiceRequest: " + malformed.getMessage());
        }
    }

    private static ExportTraceServiceRequest decodeJson(byte[] body) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(body);
        } catch (IOException malformed) {
            throw new ApiError(400, "invalid_json", "body", "is not valid JSON");
        }
        if (tree == null || !tree.isObject()) {
            throw new ApiError(400, "invalid_json", "body", "must be a JSON object (an ExportTraceServiceRequest)");
        }
        HexIds.toBase64(tree);
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(tree.toString(), request);
        } catch (InvalidProtocolBufferException wrongShape) {
            throw new ApiError(400, "invalid_otlp_json", "body", "is not an OTLP ExportTraceServiceRequest: "
                    + wrongShape.getMessage());
        } catch (RuntimeException wrongShape) {
            // JsonFormat reads through Gson, whose own unchecked exceptions are malformed input too
            throw new ApiError(400, "invalid_otlp_json", "body", "is not an OTLP ExportTraceServiceRequest: "
                    + wrongShape.getClass().getSimpleName());
        }
        return request.build();
    }

    private static byte[] printJson(ExportTraceServiceResponse response) {
        try {
            return JsonFormat.printer().omittingInsignificantWhitespace().print(response).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException unprintable) {
            // a response holds two plain fields and no Any: JsonFormat cannot fail on it
            throw new IllegalStateException(unprintable);
        }
    }

    /**
     * OTLP's JSON writes {@code traceId}, {@code spanId} and {@code parentSpanId} (of spans and of their
     * links) as hex; JsonFormat reads bytes as base64. The ids are rewritten before it reads them, and
     * an id that is no hex is refused naming its place in the export.
     */
    private static final class HexIds {
        private static final String[] RESOURCE_SPANS = {"resourceSpans", "resource_spans"};
        private static final String[] SCOPE_SPANS = {"scopeSpans", "scope_spans"};
        private static final String[] ID_FIELDS = {"traceId", "trace_id", "spanId", "span_id", "parentSpanId",
                "parent_span_id"};

        static void toBase64(JsonNode request) {
            forEachElement(request, RESOURCE_SPANS, "", (resource, resourcePath) ->
                    forEachElement(resource, SCOPE_SPANS, resourcePath, (scope, scopePath) ->
                            forEachElement(scope, new String[] {"spans"}, scopePath, (span, spanPath) -> {
                                rewrite(span, spanPath);
                                forEachElement(span, new String[] {"links"}, spanPath, HexIds::rewrite);
                            })));
        }

        private interface Visitor {
            void visit(JsonNode element, String path);
        }

        /** Each object of the array field (either spelling); anything else is left for JsonFormat to refuse. */
        private static void forEachElement(JsonNode parent, String[] names, String parentPath, Visitor visitor) {
            for (String name : names) {
                JsonNode array = parent.get(name);
                if (array == null || !array.isArray()) {
                    continue;
                }
                for (int index = 0; index < array.size(); index++) {
                    if (array.get(index).isObject()) {
                        String path = (parentPath.isEmpty() ? "" : parentPath + ".") + name + "[" + index + "]";
                        visitor.visit(array.get(index), path);
                    }
                }
            }
        }

        private static void rewrite(JsonNode node, String path) {
            ObjectNode object = (ObjectNode) node;
            for (String field : ID_FIELDS) {
                JsonNode value = object.get(field);
                if (value == null || !value.isTextual()) {
                    continue;
                }
                try {
                    object.put(field, Base64.getEncoder().encodeToString(HexFormat.of().parseHex(value.textValue())));
                } catch (IllegalArgumentException notHex) {
                    throw new ApiError(400, "invalid_otlp_json", path + "." + field,
                            "must be hex digits (OTLP's JSON writes ids as hex, not base64)");
                }
            }
        }
    }
}
