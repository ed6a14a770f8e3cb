package dev.tally.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One event's JSON as read from the body: its top-level fields, or the value itself when it is not
 * an object (which the parser rejects).
 *
 * <p>Read straight off the token stream rather than built as a Jackson tree: a string field is
 * kept as its {@code String}, not wrapped in a node inside a linked map, which is most of what an
 * event's tree costs. Numbers, nested objects and arrays stay the nodes the tree would have held,
 * so every rule that reads them ({@link FieldReader}) sees exactly what it saw before. A repeated
 * field never gets here: the parser refuses it ({@code Json.strict}).
 */
public final class EventJson {
    /** Field name to a {@code String}, or to the non-string {@link JsonNode} the tree would hold. */
    private final Map<String, Object> fields;
    private final JsonNode notAnObject;

    private EventJson(Map<String, Object> fields, JsonNode notAnObject) {
        this.fields = fields;
        this.notAnObject = notAnObject;
    }

    /** An element of a JSON array body, or a one-object body, already read as a tree. */
    public static EventJson of(JsonNode json) {
        if (!json.isObject()) {
            return new EventJson(null, json);
        }
        Map<String, Object> fields = new HashMap<>(Math.max(16, json.size() * 2));
        for (Map.Entry<String, JsonNode> field : json.properties()) {
            JsonNode value = field.getValue();
            fields.put(field.getKey(), value.isTextual() ? value.textValue() : value);
        }
        return new EventJson(fields, null);
    }

    /**
     * Reads one value from a parser that has not started yet: an object field by field, anything
     * else as a tree. Throws what reading a tree of the same text throws.
     *
     * @param values reads a nested value as a tree; it must not look for trailing tokens, since
     *               the event's next field follows every nested value (the caller checks the end)
     */
    public static EventJson read(ObjectReader values, JsonParser parser) throws IOException {
        parser.nextToken();
        return readCurrent(values, parser);
    }

    /** Reads the value that starts at the parser's current token. */
    public static EventJson readCurrent(ObjectReader values, JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            return new EventJson(null, values.readTree(parser));
        }
        Map<String, Object> fields = new HashMap<>(32);
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            fields.put(name, value(values, parser, parser.nextToken()));
        }
        if (token != JsonToken.END_OBJECT) {
            throw new IllegalStateException("an object ended on " + token);
        }
        return new EventJson(fields, null);
    }

    private static Object value(ObjectReader values, JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NULL -> NullNode.getInstance();
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> IntNode.valueOf(parser.getIntValue());
                case LONG -> LongNode.valueOf(parser.getLongValue());
                default -> BigIntegerNode.valueOf(parser.getBigIntegerValue());
            };
            // floats, objects and arrays: exactly the node the tree deserializer makes
            default -> values.readTree(parser);
        };
    }

    public boolean isObject() {
        return fields != null;
    }

    /** The field's value: a {@code String} or a non-null {@link JsonNode}; null when absent or JSON null. */
    public Object get(String field) {
        Object value = fields.get(field);
        return value instanceof JsonNode node && node.isNull() ? null : value;
    }

    /** The event's id when it is a string, for naming a rejected event. */
    public String idOrNull() {
        return fields != null && fields.get("id") instanceof String id ? id : null;
    }

    /** The non-object value, for messages. */
    JsonNode notAnObject() {
        return notAnObject;
    }
}
