package dev.tally.ingest.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.tally.http.ApiError;
import dev.tally.ingest.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a request body into one JSON value per event: a JSON array, one JSON object, or NDJSON.
 * A body that is not JSON at all is one 400; in NDJSON a bad line rejects only its own event,
 * because each line stands alone.
 */
final class BodyReader {
    private static final ObjectMapper MAPPER = dev.tally.http.Json.strict(new ObjectMapper());
    /**
     * The nested values of a streamed event (attributes, decimals, arrays) as trees: the mapper's
     * own check for trailing tokens would find the event's next field after each one, throw, and
     * send the whole line or body down the slower tree path below.
     */
    static final ObjectReader VALUES = MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** One event's JSON, or the reason its line could not be read. */
    record Item(EventJson json, String unreadable) {
    }

    private BodyReader() {
    }

    static List<Item> read(byte[] body, String contentType) {
        if (isNdjson(contentType)) {
            return readLines(body);
        }
        List<Item> streamed = streamed(body);
        if (streamed != null) {
            return streamed;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException malformed) {
            var location = malformed.getLocation();
            throw new ApiError(400, "invalid_json", "body", "is not valid JSON: " + reason(malformed)
                    + (location == null ? "" : " (line " + location.getLineNr() + ", column "
                    + location.getColumnNr() + ")"));
        } catch (java.io.IOException unreadable) {
            throw new ApiError(400, "invalid_json", "body", "could not be read: " + unreadable.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new ApiError(400, "invalid_json", "body", "is empty: send a JSON array, a JSON object or NDJSON");
        }
        List<Item> items = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(element -> items.add(new Item(EventJson.of(element), null)));
        } else if (root.isObject()) {
            items.add(new Item(EventJson.of(root), null));
        } else {
            throw new ApiError(400, "invalid_json", "body", "must be a JSON array of events or one event object");
        }
        return items;
    }

    /**
     * A JSON array of events, or one event object, read off the token stream; null when the body
     * is anything else or cannot be read so, and the tree path above then gives the answer (and
     * every error message) it always gave.
     */
    private static List<Item> streamed(byte[] body) {
        try (JsonParser parser = MAPPER.getFactory().createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_OBJECT) {
                List<Item> one = List.of(new Item(EventJson.readCurrent(VALUES, parser), null));
                return parser.nextToken() == null ? one : null;
            }
            if (first != JsonToken.START_ARRAY) {
                return null;
            }
            List<Item> items = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    return null;
                }
                items.add(new Item(EventJson.readCurrent(VALUES, parser), null));
            }
            // anything after the array: the tree path refuses it, with the place
            return parser.nextToken() == null ? items : null;
        } catch (java.io.IOException | RuntimeException notStreamable) {
            return null;
        }
    }

    /** Jackson's message, in the contract's words where it has them. */
    private static String reason(JsonProcessingException malformed) {
        String message = malformed.getOriginalMessage();
        if (message != null && message.startsWith("Trailing token")) {
            return "it has content after its JSON value";
        }
        return message;
    }

    private static boolean isNdjson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(java.util.Locale.ROOT);
        return type.startsWith("application/x-ndjson") || type.startsWith("application/ndjson")
                || type.startsWith("application/jsonl") || type.startsWith("application/jsonlines");
    }

    /**
     * One item per non-blank line. Lines are found in the body's bytes (a newline byte is never
     * part of another UTF-8 character) and parsed where they lie, as UTF-8, without decoding the
     * body to text first; a line the streaming read cannot take (malformed, or bytes that are not
     * UTF-8) is decoded and read again the original way, as its own string into a tree, so its
     * result and message are that way's.
     */
    private static List<Item> readLines(byte[] body) {
        List<Item> items = new ArrayList<>();
        int lineNumber = 0;
        // the body's own byte order mark (Windows tools write one) is ignored, as JSON bodies' is by
        // Jackson and as RFC 8259 allows; on any later line it is refused below
        int start = startsWithByteOrderMark(body, 0, body.length) ? 3 : 0;
        while (start <= body.length) {
            int end = start;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            lineNumber++;
            if (!isBlank(body, start, end)) {
                items.add(readLine(body, start, end, lineNumber));
            }
            start = end + 1;
        }
        if (items.isEmpty()) {
            throw new ApiError(400, "invalid_json", "body", "is empty: send one JSON event per line");
        }
        return items;
    }

    private static Item readLine(byte[] body, int start, int end, int lineNumber) {
        // a byte parser skips a leading byte order mark, which the text way refuses: such a line goes that way
        if (!startsWithByteOrderMark(body, start, end)) {
            try (JsonParser parser = MAPPER.getFactory().createParser(body, start, end - start)) {
                EventJson event = EventJson.read(VALUES, parser);
                if (parser.nextToken() == null) {
                    return new Item(event, null);
                }
            } catch (java.io.IOException | RuntimeException notStreamable) {
                // read again as a tree below, for its error message
            }
        }
        String line = new String(body, start, end - start, StandardCharsets.UTF_8);
        try {
            return new Item(EventJson.of(MAPPER.readTree(line)), null);
        } catch (JsonProcessingException malformed) {
            return new Item(null, "line " + lineNumber + " is not valid JSON: " + reason(malformed));
        }
    }

    private static boolean startsWithByteOrderMark(byte[] body, int start, int end) {
        return end - start >= 3 && body[start] == (byte) 0xEF && body[start + 1] == (byte) 0xBB
                && body[start + 2] == (byte) 0xBF;
    }

    /** Whether a line's bytes are blank as its text would be: ASCII decided here, anything else decoded. */
    private static boolean isBlank(byte[] body, int start, int end) {
        for (int index = start; index < end; index++) {
            if (body[index] < 0) {
                String line = new String(body, start, end - start, StandardCharsets.UTF_8);
                return isBlank(line.toCharArray(), 0, line.length());
            }
            if (!Character.isWhitespace(body[index])) {
                return false;
            }
        }
        return true;
    }

    /** {@link String#isBlank()} over a range: every character whitespace (no supplementary character is). */
    private static boolean isBlank(char[] characters, int start, int end) {
        for (int index = start; index < end; index++) {
            if (!Character.isWhitespace(characters[index])) {
                return false;
            }
        }
        return true;
    }
}
