package dev.tally.report.stats;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * One requested metric with its aggregations and percentiles (0–100). A metric asked for with
 * neither gets {@code sum}, as the reference server does.
 */
record MetricSpec(Metric metric, List<Aggregation> aggregations, List<BigDecimal> percentiles) {

    MetricSpec {
        aggregations = List.copyOf(aggregations);
        percentiles = List.copyOf(percentiles);
        if (aggregations.isEmpty() && percentiles.isEmpty()) {
            aggregations = List.of(Aggregation.SUM);
        }
    }

    /** The values this spec adds to each bucket, aggregations first, in the order requested. */
    List<Measure> measures() {
        List<Measure> measures = new ArrayList<>();
        for (Aggregation aggregation : aggregations) {
            measures.add(Measure.aggregation(metric, aggregation));
        }
        for (BigDecimal percentile : percentiles) {
            measures.add(Measure.percentile(metric, percentile));
        }
        return measures;
    }
}
