package dev.tally.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.event.Event;
import dev.tally.text.UnicodeText;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000L);
    private static final BigDecimal BILLION = BigDecimal.valueOf(1_000_000_000L);
    /** A trillion: beyond any real request, and keeps every derived cost inside a long. */
    private static final long MAX_COUNT = 1_000_000_000_000L;
    /** One event's cost: a million dollars, far beyond any real one, so no report's sum can wrap. */
    private static final BigDecimal MAX_DOLLARS = BigDecimal.valueOf(Event.MAX_COST_NANOS).movePointLeft(9)
            .stripTrailingZeros();
    /** A billion seconds (31 years) of audio or call in one event. */
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(1_000_000_000L);
    /** 2000-01-01T00:00:00Z: no usage Tally meters is older, and a time before it is a mistake. */
    static final long EARLIEST_MS = 946_684_800_000L;

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
        return text(field, maxLength, true);
    }

    /**
     * Free text (an SMS body, an exception message): any character but NUL, and valid Unicode. A
     * line break or tab is text there.
     */
    String freeText(String field, int maxLength) {
        return text(field, maxLength, false);
    }

    private String text(String field, int maxLength, boolean identifier) {
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
        validUnicode(field, text, identifier);
        return text;
    }

    /**
     * An identifier (and every other short text) must be valid Unicode without control characters:
     * DuckDB would store an unpaired surrogate as '?', so the stored id would never equal the one
     * sent again and deduplication would fail.
     */
    static void identifier(String field, String text) {
        validUnicode(field, text, true);
    }

    private static void validUnicode(String field, String text, boolean identifier) {
        String problem = UnicodeText.problem(text, identifier);
        if (problem != null) {
            throw new InvalidField(field, problem);
        }
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
        if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
            throw new InvalidField(field, "is too large");
        }
        BigDecimal number = value.decimalValue();
        if (number.signum() < 0) {
            throw new InvalidField(field, "must not be negative");
        }
        return number;
    }

    /** Seconds as given, stored as whole milliseconds (rounded half-even). */
    Long secondsAsMillis(String field) {
        return scaled(field, MAX_SECONDS, " seconds", THOUSAND);
    }

    /** US dollars as given, stored as whole nano-dollars (rounded half-even). */
    Long dollarsAsNanos(String field) {
        return scaled(field, MAX_DOLLARS, " USD for one event", BILLION);
    }

    /** A non-negative decimal shown as given (a fee's quantity), stored in whole millionths (rounded half-even). */
    Long decimalAsMicros(String field) {
        return scaled(field, BigDecimal.valueOf(MAX_COUNT), "", MILLION);
    }

    private Long scaled(String field, BigDecimal max, String unit, BigDecimal factor) {
        BigDecimal value = nonNegativeDecimal(field);
        if (value == null) {
            return null;
        }
        if (value.compareTo(max) > 0) {
            throw new InvalidField(field, "must be at most " + max.toPlainString() + unit);
        }
        return exactLong(field, value.multiply(factor));
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
        long epochMillis;
        try {
            epochMillis = Rfc3339.epochMillis(text);
        } catch (java.time.DateTimeException | ArithmeticException notRfc3339) {
            // a year of ±999,999,999 parses, but is no instant in milliseconds
            throw new InvalidField(field, "must be an RFC 3339 time with an offset, like 2026-03-01T12:00:00Z");
        }
        if (epochMillis < EARLIEST_MS) {
            throw new InvalidField(field, "must not be before 2000-01-01");
        }
        return epochMillis;
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
            identifier(field, entry.getKey());
            if (!entry.getValue().isTextual()) {
                throw new InvalidField(field + "." + entry.getKey(), "must be a string");
            }
            identifier(field + "." + entry.getKey(), entry.getValue().textValue());
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
        validUnicode(field, text, false);
        if (text.length() <= 4096) {
            return text;
        }
        // never cut a surrogate pair in two
        int end = Character.isHighSurrogate(text.charAt(4095)) ? 4095 : 4096;
        return text.substring(0, end);
    }
}
