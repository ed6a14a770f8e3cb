package dev.tally.report.contract;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.POJONode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Compares a report's JSON answer with the answer an oracle built. Numbers compare as decimals, so
 * {@code 0}, {@code 0.0} and {@code 0.00} are one value and no money is compared through a double;
 * only the fields the expected answer names are compared, so a report may add fields of its own;
 * arrays must have the same length and order. Every difference is collected, so one failure lists
 * all of them rather than the first.
 */
final class AnswerComparison {
    /**
     * Reads answers' numbers as decimals, never through a double, and writes decimals plainly
     * ({@code 0.000000001}, not {@code 1E-9}) in the events and prices it sends.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    /** An expected number that may differ from the exact value by a bound the documents allow. */
    record Approximately(BigDecimal exact, BigDecimal relativeBound, BigDecimal absoluteBound) {
        boolean accepts(BigDecimal actual) {
            BigDecimal allowed = exact.abs().multiply(relativeBound).add(absoluteBound);
            return actual.subtract(exact).abs().compareTo(allowed) <= 0;
        }
    }

    /** An expected time that the answer may print in any ISO 8601 form of the same instant. */
    record SameInstant(Instant instant) {
    }

    private final List<String> differences = new ArrayList<>();

    static JsonNode approximately(BigDecimal exact, String relativeBound, String absoluteBound) {
        return new POJONode(new Approximately(exact, new BigDecimal(relativeBound), new BigDecimal(absoluteBound)));
    }

    static JsonNode sameInstant(Instant instant) {
        return new POJONode(new SameInstant(instant));
    }

    List<String> differences() {
        return differences;
    }

    void compare(String path, JsonNode expected, JsonNode actual) {
        if (actual == null || actual.isMissingNode()) {
            differences.add(path + ": missing, expected " + describe(expected));
        } else if (expected instanceof POJONode marker) {
            compareMarker(path, marker.getPojo(), actual);
        } else if (expected.isObject()) {
            compareObject(path, expected, actual);
        } else if (expected.isArray()) {
            compareArray(path, expected, actual);
        } else if (expected.isNumber()) {
            compareNumber(path, expected.decimalValue(), actual);
        } else if (!expected.equals(actual)) {
            differences.add(path + ": expected " + expected + " but was " + actual);
        }
    }

    private void compareObject(String path, JsonNode expected, JsonNode actual) {
        if (!actual.isObject()) {
            differences.add(path + ": expected an object but was " + actual);
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            compare(path + "." + field.getKey(), field.getValue(), actual.get(field.getKey()));
        }
    }

    private void compareArray(String path, JsonNode expected, JsonNode actual) {
        if (!actual.isArray() || actual.size() != expected.size()) {
            differences.add(path + ": expected " + expected.size() + " elements " + expected + " but was " + actual);
            return;
        }
        for (int index = 0; index < expected.size(); index++) {
            compare(path + "[" + index + "]", expected.get(index), actual.get(index));
        }
    }

    private void compareNumber(String path, BigDecimal expected, JsonNode actual) {
        if (!actual.isNumber() || actual.decimalValue().compareTo(expected) != 0) {
            differences.add(path + ": expected " + expected.toPlainString() + " but was " + actual);
        }
    }

    private void compareMarker(String path, Object marker, JsonNode actual) {
        if (marker instanceof Approximately approximately) {
            if (!actual.isNumber() || !approximately.accepts(actual.decimalValue())) {
                differences.add(path + ": expected " + describe(approximately) + " but was " + actual);
            }
        } else if (marker instanceof SameInstant sameInstant) {
            if (!sameInstant.instant().equals(parseInstant(actual))) {
                differences.add(path + ": expected " + sameInstant.instant() + " but was " + actual);
            }
        }
    }

    private static Instant parseInstant(JsonNode actual) {
        try {
            return Instant.parse(actual.asText());
        } catch (DateTimeParseException notAnInstant) {
            return null;
        }
    }

    private static String describe(Object expected) {
        if (expected instanceof POJONode marker) {
            return describe(marker.getPojo());
        }
        if (expected instanceof Approximately approximately) {
            return approximately.exact().toPlainString() + " (± " + approximately.relativeBound().toPlainString()
                    + " relatively + " + approximately.absoluteBound().toPlainString() + ")";
        }
        return String.valueOf(expected);
    }
}
