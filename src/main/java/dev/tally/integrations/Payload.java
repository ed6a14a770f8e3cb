package dev.tally.integrations;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.http.ApiError;
import dev.tally.http.Json;
import dev.tally.error.Rejection;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One object of a provider's payload and where it sits in it ({@code message.costs[2]}), read field
 * by field: a wrong value is refused naming its whole path, an absent one is null, a field the
 * receiver does not read is never looked at.
 */
public final class Payload {
    private final JsonNode node;
    private final String path;

    private Payload(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The body's top-level object; anything else is refused naming {@code body}. */
    /**
     * A webhook's JSON body; the providers' amounts are decimals (Retell's cents), read as the decimal
     * the body says, never as a double near it.
     */
    public static Payload parse(byte[] body) {
        try {
            return root(Json.MAPPER.reader()
                    .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(body));
        } catch (IOException malformed) {
            throw new ApiError(400, "invalid_json", "body", "is not valid JSON");
        }
    }

    public static Payload root(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw Rejection.invalid("body", "must be a JSON object");
        }
        return new Payload(body, "");
    }

    /** The path of a field of this object, as an error names it. */
    public String path(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The names of this object's fields, in the payload's order. */
    public List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    public boolean has(String name) {
        JsonNode value = node.get(name);
        return value != null && !value.isNull();
    }

    private JsonNode value(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    public Payload object(String name) {
        return optionalObject(name).orElseThrow(() -> Rejection.invalid(path(name), "is required"));
    }

    public Optional<Payload> optionalObject(String name) {
        JsonNode value = value(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw Rejection.invalid(path(name), "must be an object");
        }
        return Optional.of(new Payload(value, path(name)));
    }

    /** An object where one may be, ignored when it is something else: for fields read only as a hint. */
    public Optional<Payload> lenientObject(String name) {
        JsonNode value = value(name);
        return value != null && value.isObject() ? Optional.of(new Payload(value, path(name))) : Optional.empty();
    }

    /** The objects of an array field; absent is empty, an element that is not an object is refused. */
    public List<Payload> objects(String name) {
        JsonNode value = value(name);
        List<Payload> objects = new ArrayList<>();
        if (value == null) {
            return objects;
        }
        if (!value.isArray()) {
            throw Rejection.invalid(path(name), "must be an array");
        }
        for (int index = 0; index < value.size(); index++) {
            String element = path(name) + "[" + index + "]";
            if (!value.get(index).isObject()) {
                throw Rejection.invalid(element, "must be an object");
            }
            objects.add(new Payload(value.get(index), element));
        }
        return objects;
    }

    public String text(String name) {
        JsonNode value = value(name);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw Rejection.invalid(path(name), "must be a string");
        }
        return value.textValue();
    }

    /** True when the field holds a number. */
    public boolean lenientNumber(String name) {
        JsonNode value = value(name);
        return value != null && value.isNumber();
    }

    /** A string where one may be, ignored when it is something else. */
    public String lenientText(String name) {
        JsonNode value = value(name);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    public String requiredText(String name, int maxLength) {
        String text = text(name);
        if (text == null || text.isEmpty()) {
            throw Rejection.invalid(path(name), "is required");
        }
        if (text.length() > maxLength) {
            throw Rejection.invalid(path(name), "must be at most " + maxLength + " characters");
        }
        return text;
    }

    /** A non-negative number, as the exact decimal its JSON text says. */
    public BigDecimal decimal(String name) {
        JsonNode value = value(name);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw Rejection.invalid(path(name), "must be a number");
        }
        if (value.isDouble() && !Double.isFinite(value.doubleValue())) {
            throw Rejection.invalid(path(name), "must be a finite number");
        }
        BigDecimal decimal = value.decimalValue();
        if (decimal.signum() < 0) {
            throw Rejection.invalid(path(name), "must not be negative");
        }
        return decimal;
    }

    public BigDecimal requiredDecimal(String name) {
        BigDecimal decimal = decimal(name);
        if (decimal == null) {
            throw Rejection.invalid(path(name), "is required");
        }
        return decimal;
    }

    /** A non-negative whole number (a count sent as 12.0 is 12). */
    public Long count(String name) {
        BigDecimal decimal = decimal(name);
        if (decimal == null) {
            return null;
        }
        try {
            return decimal.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException notWhole) {
            throw Rejection.invalid(path(name), "must be a whole number");
        }
    }

    /** The first of these objects that has the field, for a value a payload may carry in more than one place. */
    public static Optional<Payload> firstWith(String name, Payload... candidates) {
        for (Payload candidate : candidates) {
            if (candidate != null && candidate.has(name)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
