package dev.tally.integrations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.http.Json;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * A Tally event made from a provider's payload, with the payload path each of its fields came
 * from, so a value the event contract refuses is reported by the name the provider sent it under.
 */
public final class MappedEvent {
    private final ObjectNode event = Json.MAPPER.createObjectNode();
    private final Map<String, String> sources = new HashMap<>();

    public MappedEvent(String id, String type, String time, String timeSource) {
        event.put("id", id).put("type", type).put("time", time);
        sources.put("time", timeSource);
    }

    /** Sets the field unless the value is null: a string, a {@code BigDecimal} (money, exact) or a {@code Long} (a count). */
    public MappedEvent put(String field, Object value, String source) {
        if (value instanceof String text) {
            event.put(field, text);
        } else if (value instanceof BigDecimal decimal) {
            // exact: the contract converts the decimal the payload said, not a double near it
            event.put(field, decimal);
        } else if (value instanceof Long count) {
            event.put(field, count);
        } else if (value != null) {
            throw new IllegalArgumentException(field + " of " + value.getClass());
        }
        if (value != null) {
            sources.put(field, source);
        }
        return this;
    }

    public MappedEvent attribute(String name, String value, String source) {
        if (value != null) {
            ObjectNode attributes = event.has("attributes") ? (ObjectNode) event.get("attributes")
                    : event.putObject("attributes");
            attributes.put(name, value);
            sources.put("attributes." + name, source);
        }
        return this;
    }

    public ObjectNode json() {
        return event;
    }

    /** The payload path of an event field the contract refused ({@code attributes.x} too); {@code fallback} when unknown. */
    public String sourceOf(String field, String fallback) {
        String source = sources.get(field);
        return source == null ? fallback : source;
    }
}
