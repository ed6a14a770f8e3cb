package dev.tally.report.stats;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/** A validated statistics request: the tenant it reads, its resolved range and buckets, and what to compute. */
record StatsRequest(String tenantId, Instant start, Instant end, long granularitySeconds, ZoneId zone,
                    List<MetricSpec> usageMetrics, List<MetricSpec> callMetrics, StatsFilter filter) {

    StatsRequest {
        usageMetrics = List.copyOf(usageMetrics);
        callMetrics = List.copyOf(callMetrics);
    }

    BucketGrid grid() {
        return BucketGrid.of(start, end, granularitySeconds, zone);
    }
}
