package dev.tally.report.stats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.error.Rejection;
import dev.tally.report.DateRange;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads and validates the body of {@code POST /calls/stats}. Every problem is a 400 naming the
 * field by its path ({@code usage_metrics[0].metric}); unknown fields are ignored, as the reference
 * server does.
 */
final class StatsRequestReader {
    static final Duration MAX_RANGE = Duration.ofDays(31);
    /** Bounds the SQL: each value is one bound parameter. */
    static final int MAX_FILTER_VALUES = 10_000;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private StatsRequestReader() {
    }

    static String projectId(JsonNode body) {
        String projectId = text(body, "project_id");
        if (projectId == null || projectId.isBlank()) {
            throw Rejection.invalid("project_id", "is required");
        }
        return projectId;
    }

    static StatsRequest read(JsonNode body, String tenantId, Instant now) {
        Instant start = time(body, "start");
        if (start == null) {
            throw Rejection.invalid("start", "is required");
        }
        Instant end = time(body, "end");
        if (end == null) {
            end = now;
        }
        if (end.isBefore(start)) {
            throw Rejection.invalid("end", "must not be before start");
        }
        long rangeMs = Duration.between(start, end).toMillis();
        if (rangeMs > MAX_RANGE.toMillis()) {
            throw Rejection.invalid("end", "the range from start to end must be at most 31 days");
        }
        long granularity = Granularity.resolve(granularity(body), rangeMs);
        ZoneId zone = zone(body);
        List<MetricSpec> usage = metrics(body, "usage_metrics", UsageMetric::fromWire, UsageMetric.wireNames());
        List<MetricSpec> calls = metrics(body, "call_metrics", CallMetric::fromWire, CallMetric.wireNames());
        return new StatsRequest(tenantId, start, end, granularity, zone, usage, calls, filter(body.get("filter")));
    }

    private static JsonNode present(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private static String text(JsonNode parent, String field) {
        return textAt(present(parent, field), field);
    }

    private static String textAt(JsonNode value, String path) {
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw Rejection.invalid(path, "must be a string");
        }
        return value.textValue();
    }

    /** ISO 8601 with an offset or Z; a time without one is read as UTC. */
    static Instant time(JsonNode body, String field) {
        String text = text(body, field);
        if (text == null) {
            return null;
        }
        try {
            return DateRange.bounded(field, OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException notOffset) {
            try {
                return DateRange.bounded(field,
                        LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException notLocal) {
                throw Rejection.invalid(field, "must be an ISO 8601 date-time like 2026-03-08T05:00:00Z");
            }
        }
    }

    private static Long granularity(JsonNode body) {
        JsonNode value = present(body, "granularity");
        if (value == null) {
            return null;
        }
        // 3600.0 is a whole number too; clients that compute the size in floating point send it
        if (!value.isNumber() || value.decimalValue().stripTrailingZeros().scale() > 0) {
            throw Rejection.invalid("granularity", "must be a whole number of seconds");
        }
        BigDecimal seconds = value.decimalValue();
        if (seconds.signum() <= 0 || seconds.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw Rejection.invalid("granularity", "must be a positive number of seconds, at most " + Integer.MAX_VALUE);
        }
        return seconds.longValueExact();
    }

    private static ZoneId zone(JsonNode body) {
        String name = text(body, "timezone");
        if (name == null) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(name);
        } catch (DateTimeException unknown) {
            throw Rejection.invalid("timezone", "unknown time zone " + name + "; use an IANA name like America/New_York");
        }
    }

    private static <M extends Metric> List<MetricSpec> metrics(JsonNode body, String field,
                                                               Function<String, Optional<M>> byName, String known) {
        JsonNode array = present(body, field);
        if (array == null) {
            return List.of();
        }
        if (!array.isArray()) {
            throw Rejection.invalid(field, "must be an array of metric specifications");
        }
        List<MetricSpec> specs = new ArrayList<>();
        for (int index = 0; index < array.size(); index++) {
            String path = field + "[" + index + "]";
            JsonNode spec = array.get(index);
            if (!spec.isObject()) {
                throw Rejection.invalid(path, "must be an object with metric, aggregations and percentiles");
            }
            String name = textAt(present(spec, "metric"), path + ".metric");
            if (name == null) {
                throw Rejection.invalid(path + ".metric", "is required");
            }
            Metric metric = byName.apply(name).orElseThrow(() -> Rejection.invalid(path + ".metric",
                    "unknown metric " + name + "; one of " + known));
            specs.add(new MetricSpec(metric, aggregations(spec, path + ".aggregations"),
                    percentiles(spec, path + ".percentiles")));
        }
        return specs;
    }

    private static List<Aggregation> aggregations(JsonNode spec, String path) {
        JsonNode array = present(spec, "aggregations");
        if (array == null) {
            return List.of();
        }
        if (!array.isArray()) {
            throw Rejection.invalid(path, "must be an array of aggregation names");
        }
        List<Aggregation> aggregations = new ArrayList<>();
        for (int index = 0; index < array.size(); index++) {
            String elementPath = path + "[" + index + "]";
            String name = textAt(array.get(index), elementPath);
            if (name == null) {
                throw Rejection.invalid(elementPath, "must be an aggregation name");
            }
            Aggregation aggregation = Aggregation.fromWire(name).orElseThrow(() -> Rejection.invalid(elementPath,
                    "unknown aggregation " + name + "; one of " + Aggregation.wireNames()));
            if (!aggregations.contains(aggregation)) {
                aggregations.add(aggregation);
            }
        }
        return aggregations;
    }

    private static List<BigDecimal> percentiles(JsonNode spec, String path) {
        JsonNode array = present(spec, "percentiles");
        if (array == null) {
            return List.of();
        }
        if (!array.isArray()) {
            throw Rejection.invalid(path, "must be an array of numbers between 0 and 100");
        }
        List<BigDecimal> percentiles = new ArrayList<>();
        for (int index = 0; index < array.size(); index++) {
            String elementPath = path + "[" + index + "]";
            JsonNode element = array.get(index);
            if (!element.isNumber()) {
                throw Rejection.invalid(elementPath, "must be a number between 0 and 100");
            }
            BigDecimal percentile = element.decimalValue();
            if (percentile.signum() < 0 || percentile.compareTo(HUNDRED) > 0) {
                throw Rejection.invalid(elementPath, "must be between 0 and 100, got " + percentile.toPlainString());
            }
            if (percentiles.stream().noneMatch(known -> known.compareTo(percentile) == 0)) {
                percentiles.add(percentile);
            }
        }
        return percentiles;
    }

    private static StatsFilter filter(JsonNode filter) {
        if (filter == null || filter.isNull()) {
            return StatsFilter.NONE;
        }
        if (!filter.isObject()) {
            throw Rejection.invalid("filter", "must be an object");
        }
        JsonNode rootsOnly = present(filter, "trace_roots_only");
        if (rootsOnly != null && !rootsOnly.isBoolean()) {
            throw Rejection.invalid("filter.trace_roots_only", "must be true or false");
        }
        // Tally stores no call inputs or outputs to match these against; ignoring them would widen the answer
        unsupported(filter, "input_refs");
        unsupported(filter, "output_refs");
        return new StatsFilter(texts(filter, "op_names"), texts(filter, "trace_ids"), texts(filter, "call_ids"),
                texts(filter, "parent_ids"), texts(filter, "thread_ids"), texts(filter, "turn_ids"),
                rootsOnly != null && rootsOnly.booleanValue(), texts(filter, "wb_user_ids"),
                texts(filter, "wb_run_ids"));
    }

    /** An empty list constrains nothing, so it is accepted; any value is one Tally cannot evaluate. */
    private static void unsupported(JsonNode filter, String field) {
        if (!texts(filter, field).isEmpty()) {
            throw Rejection.invalid("filter." + field, "is not supported: Tally stores no call inputs or outputs"
                    + " to match it against; leave it out or send an empty list");
        }
    }

    private static List<String> texts(JsonNode filter, String field) {
        String path = "filter." + field;
        JsonNode array = present(filter, field);
        if (array == null) {
            return List.of();
        }
        if (!array.isArray()) {
            throw Rejection.invalid(path, "must be an array of strings");
        }
        if (array.size() > MAX_FILTER_VALUES) {
            throw Rejection.invalid(path, "must have at most " + MAX_FILTER_VALUES + " values");
        }
        List<String> texts = new ArrayList<>();
        for (int index = 0; index < array.size(); index++) {
            String text = textAt(array.get(index), path + "[" + index + "]");
            if (text == null) {
                throw Rejection.invalid(path + "[" + index + "]", "must be a string");
            }
            texts.add(text);
        }
        return texts;
    }
}
