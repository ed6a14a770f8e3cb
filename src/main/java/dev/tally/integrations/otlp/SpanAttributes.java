package dev.tally.integrations.otlp;

import dev.tally.error.Rejection;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A span's attributes by key, read as the GenAI conventions type them. A value of the wrong kind is
 * refused naming the attribute by its path in the export, so the partial success says which one.
 */
final class SpanAttributes {
    private final Map<String, AnyValue> values = new HashMap<>();
    private final String path;

    SpanAttributes(List<KeyValue> attributes, String path) {
        for (KeyValue attribute : attributes) {
            // keys are unique by OTLP's rules; of a repeated one the first counts, as exporters send it
            values.putIfAbsent(attribute.getKey(), attribute.getValue());
        }
        this.path = path;
    }

    /** The path of an attribute as an error names it: {@code resourceSpans[0]…spans[2].attributes.gen_ai.request.model}. */
    String path(String key) {
        return path + ".attributes." + key;
    }

    boolean has(String key) {
        AnyValue value = values.get(key);
        return value != null && value.getValueCase() != AnyValue.ValueCase.VALUE_NOT_SET;
    }

    /** The first of these keys the span has, or null: for a value the conventions renamed. */
    String firstPresent(String... keys) {
        for (String key : keys) {
            if (has(key)) {
                return key;
            }
        }
        return null;
    }

    /** A string attribute; absent is null, any other kind of value is refused. */
    String text(String key) {
        if (key == null || !has(key)) {
            return null;
        }
        AnyValue value = values.get(key);
        if (value.getValueCase() != AnyValue.ValueCase.STRING_VALUE) {
            throw Rejection.invalid(path(key), "must be a string");
        }
        return value.getStringValue();
    }

    /**
     * A token count: an integer attribute, or the same number sent as a whole double or as decimal
     * text, which some instrumentations do. Negative, fractional or anything else is refused.
     */
    Long count(String key) {
        if (key == null || !has(key)) {
            return null;
        }
        AnyValue value = values.get(key);
        BigDecimal number = switch (value.getValueCase()) {
            case INT_VALUE -> BigDecimal.valueOf(value.getIntValue());
            case DOUBLE_VALUE -> Double.isFinite(value.getDoubleValue()) ? BigDecimal.valueOf(value.getDoubleValue()) : null;
            case STRING_VALUE -> decimalOrNull(value.getStringValue().trim());
            case BOOL_VALUE, ARRAY_VALUE, KVLIST_VALUE, BYTES_VALUE, STRING_VALUE_STRINDEX, VALUE_NOT_SET -> null;
        };
        if (number == null) {
            throw Rejection.invalid(path(key), "must be a whole number of tokens");
        }
        if (number.signum() < 0) {
            throw Rejection.invalid(path(key), "must not be negative");
        }
        try {
            return number.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException notWhole) {
            throw Rejection.invalid(path(key), "must be a whole number of tokens");
        }
    }

    private static BigDecimal decimalOrNull(String text) {
        if (text.isEmpty() || text.length() > 40) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
