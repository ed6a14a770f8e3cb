package dev.tally.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.server.ApiError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a request body into one JSON value per event: a JSON array, one JSON object, or NDJSON.
 * A body that is not JSON at all is one 400; in NDJSON a bad line rejects only its own event,
 * because each line stands alone.
 */
final class BodyReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One event's JSON, or the reason its line could not be read. */
    record Item(JsonNode json, String unreadable) {
    }

    private BodyReader() {
    }

    static List<Item> read(byte[] body, String contentType) {
        if (isNdjson(contentType)) {
            return readLines(new String(body, StandardCharsets.UTF_8));
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException malformed) {
            throw new ApiError(400, "invalid_json", "body", "is not valid JSON: "
                    + malformed.getOriginalMessage() + " (line " + malformed.getLocation().getLineNr()
                    + ", column " + malformed.getLocation().getColumnNr() + ")");
        } catch (java.io.IOException unreadable) {
            throw new ApiError(400, "invalid_json", "body", "could not be read: " + unreadable.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new ApiError(400, "invalid_json", "body", "is empty: send a JSON array, a JSON object or NDJSON");
        }
        List<Item> items = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(element -> items.add(new Item(element, null)));
        } else if (root.isObject()) {
            items.add(new Item(root, null));
        } else {
            throw new ApiError(400, "invalid_json", "body", "must be a JSON array of events or one event object");
        }
        return items;
    }

    private static boolean isNdjson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(java.util.Locale.ROOT);
        return type.startsWith("application/x-ndjson") || type.startsWith("application/ndjson")
                || type.startsWith("application/jsonl") || type.startsWith("application/jsonlines");
    }

    private static List<Item> readLines(String text) {
        List<Item> items = new ArrayList<>();
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                items.add(new Item(MAPPER.readTree(line), null));
            } catch (JsonProcessingException malformed) {
                items.add(new Item(null, "line " + lineNumber + " is not valid JSON: " + malformed.getOriginalMessage()));
            }
        }
        if (items.isEmpty()) {
            throw new ApiError(400, "invalid_json", "body", "is empty: send one JSON event per line");
        }
        return items;
    }
}
