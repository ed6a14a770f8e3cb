package dev.tally.report.stats;

import java.util.List;
import java.util.Map;

/**
 * The answer of {@code POST /calls/stats}, in the reference API's shape.
 *
 * @param start the resolved start, ISO 8601 UTC
 * @param end the resolved end (now when the request had none), ISO 8601 UTC
 * @param granularity the bucket size used, in seconds
 * @param timezone the zone buckets were aligned to
 * @param usageBuckets per bucket and model; empty when no usage metric was asked for
 * @param callBuckets per bucket; empty when no call metric was asked for
 */
record StatsResponse(String start, String end, long granularity, String timezone,
                     List<Map<String, Object>> usageBuckets, List<Map<String, Object>> callBuckets) {
}
