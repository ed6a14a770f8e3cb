package dev.tally.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.text.UnicodeText;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A small JSON request body (admin calls) read field by field, each wrong field a 400 that names it. */
public final class JsonBody {
    private static final long MAX_BYTES = 1024 * 1024;
    /** Long enough for a call's instructions (a system prompt), far below the body limit. */
    private static final int MAX_TEXT = 65_536;
    private final JsonNode root;

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    public static JsonBody of(Context context) {
        byte[] body = RequestBody.read(context, MAX_BYTES);
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException malformed) {
            throw new ApiError(400, "invalid_json", "body", "is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new ApiError(400, "invalid_json", "body", "must be a JSON object");
        }
        return new JsonBody(root);
    }

    private JsonNode node(String field) {
        JsonNode value = root.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** Whether the field is sent at all, {@code null} included (which {@link #has} counts as absent). */
    public boolean sent(String field) {
        return root.has(field);
    }

    public boolean has(String field) {
        return node(field) != null;
    }

    public String text(String field) {
        JsonNode value = node(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiError.badRequest(field, "must be a string");
        }
        String text = value.textValue();
        if (text.length() > MAX_TEXT) {
            throw ApiError.badRequest(field, "must be at most " + MAX_TEXT + " characters");
        }
        String problem = UnicodeText.problem(text, false);
        if (problem != null) {
            throw ApiError.badRequest(field, problem);
        }
        return text;
    }

    public String requiredText(String field) {
        String text = text(field);
        if (text == null || text.isBlank()) {
            throw ApiError.badRequest(field, "is required");
        }
        return text;
    }

    public Integer integer(String field) {
        JsonNode value = node(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw ApiError.badRequest(field, "must be a whole number");
        }
        return value.intValue();
    }

    public Boolean bool(String field) {
        JsonNode value = node(field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw ApiError.badRequest(field, "must be true or false");
        }
        return value.booleanValue();
    }

    public List<String> texts(String field) {
        JsonNode value = node(field);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw ApiError.badRequest(field, "must be an array of strings");
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw ApiError.badRequest(field, "must be an array of strings");
            }
            texts.add(element.textValue());
        }
        return texts;
    }

    public JsonNode raw(String field) {
        return node(field);
    }

    /** The names of the body's fields, in the order sent. */
    public java.util.Iterator<String> fieldNames() {
        return root.fieldNames();
    }

    /**
     * Refuses a field the API does not know, naming it: a misspelt field must not leave its value
     * at the default unnoticed.
     *
     * @param kind what the fields describe, for the message ("budget", "webhook")
     */
    public void onlyFields(java.util.Set<String> known, String kind) {
        java.util.Iterator<String> names = root.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw ApiError.badRequest(name, "is not a " + kind + " field (" + String.join(", ",
                        new java.util.TreeSet<>(known)) + ")");
            }
        }
    }
}
