package dev.tally.report.contract;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** One {@code POST /calls/stats} request: what the oracle computes and the body that asks it. */
record StatsQuery(String tenant, Instant start, Instant end, Long granularity, ZoneId zone,
                  List<Metric> usageMetrics, List<Metric> callMetrics, Map<String, List<String>> filterLists,
                  boolean traceRootsOnly) {

    /** A metric with its aggregations and percentiles; neither means {@code sum}. */
    record Metric(String name, List<String> aggregations, List<BigDecimal> percentiles) {
        List<String> effectiveAggregations() {
            return aggregations.isEmpty() && percentiles.isEmpty() ? List.of("sum") : aggregations;
        }

        static String percentileKey(BigDecimal percentile, String metric) {
            return "p" + percentile.stripTrailingZeros().toPlainString() + "_" + metric;
        }
    }

    ObjectNode body() {
        ObjectNode body = AnswerComparison.MAPPER.createObjectNode().put("project_id", tenant)
                .put("start", start.toString()).put("end", end.toString()).put("timezone", zone.getId());
        if (granularity != null) {
            body.put("granularity", granularity);
        }
        metrics(body.putArray("usage_metrics"), usageMetrics);
        metrics(body.putArray("call_metrics"), callMetrics);
        ObjectNode filter = body.putObject("filter");
        filterLists.forEach((name, values) -> values.forEach(filter.withArray(name)::add));
        if (traceRootsOnly) {
            filter.put("trace_roots_only", true);
        }
        return body;
    }

    private static void metrics(ArrayNode array, List<Metric> metrics) {
        for (Metric metric : metrics) {
            ObjectNode spec = array.addObject().put("metric", metric.name());
            if (!metric.aggregations().isEmpty()) {
                metric.aggregations().forEach(spec.putArray("aggregations")::add);
            }
            if (!metric.percentiles().isEmpty()) {
                metric.percentiles().forEach(spec.putArray("percentiles")::add);
            }
        }
    }
}
