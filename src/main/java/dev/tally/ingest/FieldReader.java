package dev.tally.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads one event's fields with the contract's type rules, throwing {@link InvalidField} with the
 * field's name and a reason a person can act on. Absent and JSON {@code null} mean the same.
 */
final class FieldReader {
    private static final int MAX_TEXT = 1024;
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal BILLION = BigDecimal.valueOf(1_000_000_000L);
    /** A trillion: beyond any real request, and keeps every derived cost inside a long. */
    private static final long MAX_COUNT = 1_000_000_000_000L;

    private final EventJson event;

    FieldReader(EventJson event) {
        this.event = event;
    }

    /** The field's non-string value, or null when absent, JSON null, or a string. */
    private JsonNode node(String field) {
        return event.get(field) instanceof JsonNode node ? node : null;
    }

    boolean has(String field) {
        return event.get(field) != null;
    }

    String text(String field) {
        return text(field, MAX_TEXT);
    }

    String text(String field, int maxLength) {
        Object value = event.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new InvalidField(field, "must be a string");
        }
        if (text.length() > maxLength) {
            throw new InvalidField(field, "must be at most " + maxLength + " characters");
        }
        return text;
    }

    String requiredText(String field, int minLength, int maxLength) {
        String text = text(field, maxLength);
        if (text == null) {
            throw new InvalidField(field, "is required");
        }
        if (text.length() < minLength) {
            throw new InvalidField(field, "must be at least " + minLength + " character" + (minLength == 1 ? "" : "s"));
        }
        return text;
    }

    String oneOf(String field, Set<String> allowed) {
        String text = text(field);
        if (text != null && !allowed.contains(text)) {
            throw new InvalidField(field, "must be one of " + String.join(", ", allowed.stream().sorted().toList())
                    + ", not \"" + text + "\"");
        }
        return text;
    }

    String requiredOneOf(String field, Set<String> allowed) {
        String text = oneOf(field, allowed);
        if (text == null) {
            throw new InvalidField(field, "is required (one of " + String.join(", ", allowed.stream().sorted().toList())
                    + ")");
        }
        return text;
    }

    /** A token or character count: a whole, non-negative JSON number. Absent is 0. */
    long count(String field) {
        Long value = optionalCount(field);
        return value == null ? 0L : value;
    }

    Long optionalCount(String field) {
        BigDecimal number = nonNegativeDecimal(field);
        if (number == null) {
            return null;
        }
        long whole;
        try {
            whole = number.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException notWhole) {
            throw new InvalidField(field, number.scale() > 0 ? "must be a whole number" : "is too large");
        }
        if (whole > MAX_COUNT) {
            throw new InvalidField(field, "must be at most " + MAX_COUNT);
        }
        return whole;
    }

    private BigDecimal nonNegativeDecimal(String field) {
        Object present = event.get(field);
        if (present == null) {
            return null;
        }
        JsonNode value = node(field);
        if (value == null || !value.isNumber()) {
            throw new InvalidField(field, "must be a number");
        }
        BigDecimal number = value.decimalValue();
        if (number.signum() < 0) {
            throw new InvalidField(field, "must not be negative");
        }
        return number;
    }

    /** Seconds as given, stored as whole milliseconds (rounded half-even). */
    Long secondsAsMillis(String field) {
        BigDecimal seconds = nonNegativeDecimal(field);
        return seconds == null ? null : exactLong(field, seconds.multiply(THOUSAND));
    }

    /** US dollars as given, stored as whole nano-dollars (rounded half-even). */
    Long dollarsAsNanos(String field) {
        BigDecimal dollars = nonNegativeDecimal(field);
        return dollars == null ? null : exactLong(field, dollars.multiply(BILLION));
    }

    private static long exactLong(String field, BigDecimal value) {
        try {
            return value.setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        } catch (ArithmeticException tooLarge) {
            throw new InvalidField(field, "is too large");
        }
    }

    /** An RFC 3339 time with an explicit offset, as epoch milliseconds. */
    Long time(String field) {
        String text = text(field, 64);
        if (text == null) {
            return null;
        }
        try {
            return Rfc3339.epochMillis(text);
        } catch (DateTimeParseException notRfc3339) {
            throw new InvalidField(field, "must be an RFC 3339 time with an offset, like 2026-03-01T12:00:00Z");
        }
    }

    Map<String, String> attributes(String field) {
        Object present = event.get(field);
        if (present == null) {
            return Map.of();
        }
        JsonNode value = node(field);
        if (value == null || !value.isObject()) {
            throw new InvalidField(field, "must be an object of string values");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new InvalidField(field + "." + entry.getKey(), "must be a string");
            }
            attributes.put(entry.getKey(), entry.getValue().textValue());
        }
        return attributes;
    }

    /** Any JSON value, kept as its text: {@code exception} may be a message or an object. */
    String anyAsText(String field) {
        Object value = event.get(field);
        if (value == null) {
            return null;
        }
        String text = value instanceof String string ? string : value.toString();
        return text.length() > 4096 ? text.substring(0, 4096) : text;
    }
}
