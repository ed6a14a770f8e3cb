package dev.tally.report.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * {@code POST /calls/stats} (spec 003 and its README notes) from the stored LLM requests, each one
 * "call": usage metrics per bucket and model (every model seen in the filtered range, in every
 * bucket), call metrics per bucket; an aggregation over no value is 0 for sums and counts and null
 * otherwise; a request without {@code ended_at} has no latency. Averages may be printed rounded and
 * latency percentiles may come from a sketch within 1 % (README), so those two compare within
 * bounds; everything else exactly.
 */
final class CallStatsOracle {
    private static final String AVERAGE_BOUND = "0.000000001";
    private static final String PERCENTILE_BOUND = "0.01";

    private CallStatsOracle() {
    }

    static ObjectNode expected(StoredState stored, ContractPrices prices, StatsQuery query) {
        List<JsonNode> requests = stored.events(query.tenant(), "llm", llm -> EventFields.inInstants(llm,
                query.start(), query.end()) && matches(query, llm));
        List<Instant> starts = StatsBuckets.starts(query);
        List<List<JsonNode>> buckets = new ArrayList<>();
        starts.forEach(start -> buckets.add(new ArrayList<>()));
        requests.forEach(llm -> buckets.get(StatsBuckets.index(starts, EventFields.time(llm))).add(llm));
        ObjectNode answer = AnswerComparison.MAPPER.createObjectNode();
        answer.set("start", AnswerComparison.sameInstant(query.start()));
        answer.set("end", AnswerComparison.sameInstant(query.end()));
        answer.put("granularity", StatsBuckets.granularity(query)).put("timezone", query.zone().getId());
        ArrayNode usage = answer.putArray("usage_buckets");
        TreeSet<String> models = new TreeSet<>();
        requests.forEach(llm -> models.add(EventFields.text(llm, "model")));
        ArrayNode calls = answer.putArray("call_buckets");
        for (int index = 0; index < starts.size(); index++) {
            if (!query.usageMetrics().isEmpty()) {
                for (String model : models) {
                    ObjectNode row = usage.addObject();
                    row.set("timestamp", AnswerComparison.sameInstant(starts.get(index)));
                    row.put("model", model);
                    List<JsonNode> ofModel = buckets.get(index).stream()
                            .filter(llm -> model.equals(EventFields.text(llm, "model"))).toList();
                    aggregate(row, query.usageMetrics(), ofModel, prices, query.tenant());
                }
            }
            if (!query.callMetrics().isEmpty()) {
                ObjectNode row = calls.addObject();
                row.set("timestamp", AnswerComparison.sameInstant(starts.get(index)));
                aggregate(row, query.callMetrics(), buckets.get(index), prices, query.tenant());
            }
        }
        return answer;
    }

    private static boolean matches(StatsQuery query, JsonNode llm) {
        Map<String, String> fields = Map.of("op_names", "op_name", "trace_ids", "trace_id", "call_ids", "id",
                "parent_ids", "parent_id", "thread_ids", "thread_id", "turn_ids", "turn_id", "wb_user_ids",
                "user_email", "wb_run_ids", "run_id");
        boolean listed = query.filterLists().entrySet().stream().allMatch(filter -> filter.getValue().isEmpty()
                || EventFields.has(llm, fields.get(filter.getKey()))
                && filter.getValue().contains(EventFields.text(llm, fields.get(filter.getKey()))));
        return listed && !(query.traceRootsOnly() && EventFields.has(llm, "parent_id"));
    }

    private static void aggregate(ObjectNode row, List<StatsQuery.Metric> metrics, List<JsonNode> requests,
                                  ContractPrices prices, String tenant) {
        for (StatsQuery.Metric metric : metrics) {
            List<BigDecimal> values = requests.stream().map(llm -> value(metric.name(), llm, prices, tenant))
                    .filter(Objects::nonNull).sorted().toList();
            for (String aggregation : metric.effectiveAggregations()) {
                row.set(aggregation + "_" + metric.name(), aggregation(aggregation, values));
            }
            for (BigDecimal percentile : metric.percentiles()) {
                row.set(StatsQuery.Metric.percentileKey(percentile, metric.name()), values.isEmpty()
                        ? AnswerComparison.MAPPER.nullNode()
                        : AnswerComparison.approximately(interpolated(values, percentile), PERCENTILE_BOUND, "0.000001"));
            }
        }
        row.put("count", requests.size());
    }

    private static BigDecimal value(String metric, JsonNode llm, ContractPrices prices, String tenant) {
        return switch (metric) {
            case "input_tokens", "output_tokens", "cache_creation_input_tokens" ->
                    BigDecimal.valueOf(EventFields.count(llm, metric));
            case "cache_read_input_tokens" -> BigDecimal.valueOf(EventFields.count(llm, "cached_input_tokens"));
            case "total_cost" -> prices.price(tenant, llm).cost();
            case "latency_ms" -> {
                Long latency = EventFields.latencyMillis(llm);
                yield latency == null ? null : BigDecimal.valueOf(latency);
            }
            case "call_count" -> BigDecimal.ONE;
            case "error_count" -> EventFields.has(llm, "exception") ? BigDecimal.ONE : BigDecimal.ZERO;
            default -> throw new IllegalArgumentException(metric);
        };
    }

    private static JsonNode aggregation(String aggregation, List<BigDecimal> values) {
        BigDecimal sum = values.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        long nonZero = values.stream().filter(value -> value.signum() != 0).count();
        return switch (aggregation) {
            case "sum" -> AnswerComparison.MAPPER.getNodeFactory().numberNode(sum);
            case "count" -> AnswerComparison.MAPPER.getNodeFactory().numberNode(values.size());
            case "count_true" -> AnswerComparison.MAPPER.getNodeFactory().numberNode(nonZero);
            case "count_false" -> AnswerComparison.MAPPER.getNodeFactory().numberNode(values.size() - nonZero);
            case "avg" -> values.isEmpty() ? AnswerComparison.MAPPER.nullNode() : AnswerComparison.approximately(
                    sum.divide(BigDecimal.valueOf(values.size()), 20, RoundingMode.HALF_UP), AVERAGE_BOUND, AVERAGE_BOUND);
            case "min" -> values.isEmpty() ? AnswerComparison.MAPPER.nullNode()
                    : AnswerComparison.MAPPER.getNodeFactory().numberNode(values.get(0));
            case "max" -> values.isEmpty() ? AnswerComparison.MAPPER.nullNode()
                    : AnswerComparison.MAPPER.getNodeFactory().numberNode(values.get(values.size() - 1));
            default -> throw new IllegalArgumentException(aggregation);
        };
    }

    /** The exact percentile, interpolated between the two nearest ranks as {@code quantile_cont} does. */
    private static BigDecimal interpolated(List<BigDecimal> sorted, BigDecimal percentile) {
        BigDecimal position = percentile.multiply(BigDecimal.valueOf(sorted.size() - 1)).divide(BigDecimal.valueOf(100));
        int lower = position.intValue();
        BigDecimal fraction = position.subtract(BigDecimal.valueOf(lower));
        if (lower + 1 >= sorted.size()) {
            return sorted.get(lower);
        }
        return sorted.get(lower).add(sorted.get(lower + 1).subtract(sorted.get(lower)).multiply(fraction));
    }
}
