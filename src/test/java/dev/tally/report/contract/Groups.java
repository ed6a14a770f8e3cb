package dev.tally.report.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Grouping and summing over plain lists of events, for the oracles. A group key of several parts
 * joins them with a tab, which sorts before every printable character, so the keys sort as the
 * tuples would: by the first part, then the next.
 */
final class Groups {
    private static final String SEPARATOR = "\t";

    private Groups() {
    }

    static String key(String... parts) {
        return String.join(SEPARATOR, parts);
    }

    static String[] parts(String key) {
        return key.split(SEPARATOR, -1);
    }

    static TreeMap<String, List<JsonNode>> by(List<JsonNode> events, Function<JsonNode, String> key) {
        return events.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.toList()));
    }

    static long sum(List<JsonNode> events, ToLongFunction<JsonNode> value) {
        return events.stream().mapToLong(value).sum();
    }

    static long sum(List<JsonNode> events, String count) {
        return sum(events, event -> EventFields.count(event, count));
    }

    static BigDecimal sumDecimal(List<JsonNode> events, Function<JsonNode, BigDecimal> value) {
        return events.stream().map(value).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    static long countWhere(List<JsonNode> events, String field, String value) {
        return events.stream().filter(event -> value.equals(EventFields.text(event, field))).count();
    }

    /** The inbound and outbound counts that the SMS and phone reports give per total and per row. */
    static ObjectNode putDirections(ObjectNode node, String inboundName, String outboundName, List<JsonNode> events) {
        return node.put(inboundName, countWhere(events, "direction", "inbound"))
                .put(outboundName, countWhere(events, "direction", "outbound"));
    }

    static <V> void forEach(Map<String, V> groups, java.util.function.BiConsumer<String[], V> action) {
        groups.forEach((key, value) -> action.accept(parts(key), value));
    }
}
