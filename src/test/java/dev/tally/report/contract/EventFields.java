package dev.tally.report.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Reads the fields of a generated event as the ingest contract (spec events.md) defines them. The
 * oracles read events only through here, so the contract's few derived values (a call's duration,
 * an LLM request's latency, the UTC day) are written once.
 */
final class EventFields {
    private EventFields() {
    }

    static String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    static boolean has(JsonNode event, String field) {
        return text(event, field) != null;
    }

    static String type(JsonNode event) {
        return text(event, "type");
    }

    static String id(JsonNode event) {
        return text(event, "id");
    }

    /** A count the event may leave out: the contract's counts are non-negative, so absent adds nothing. */
    static long count(JsonNode event, String field) {
        return event.path(field).asLong(0);
    }

    static BigDecimal decimal(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value == null || value.isNull() ? null : new BigDecimal(value.asText());
    }

    static Instant instant(JsonNode event, String field) {
        String value = text(event, field);
        return value == null ? null : OffsetDateTime.parse(value).toInstant();
    }

    static Instant time(JsonNode event) {
        return instant(event, "time");
    }

    static LocalDate utcDay(JsonNode event) {
        return LocalDate.ofInstant(time(event), ZoneOffset.UTC);
    }

    static boolean isFinished(JsonNode call) {
        String status = text(call, "status");
        return "completed".equals(status) || "failed".equals(status);
    }

    /**
     * A finished call's duration in milliseconds: {@code duration_seconds} when given, else
     * {@code ended_at − time}. A call in progress has none yet.
     */
    static Long durationMillis(JsonNode call) {
        if (!isFinished(call)) {
            return null;
        }
        BigDecimal seconds = decimal(call, "duration_seconds");
        if (seconds != null) {
            return seconds.movePointRight(3).longValueExact();
        }
        return Duration.between(time(call), instant(call, "ended_at")).toMillis();
    }

    /** An LLM request's latency in milliseconds, {@code ended_at − time}; none without an end. */
    static Long latencyMillis(JsonNode llm) {
        Instant ended = instant(llm, "ended_at");
        return ended == null ? null : Duration.between(time(llm), ended).toMillis();
    }

    static boolean inDays(JsonNode event, LocalDate first, LocalDate last) {
        LocalDate day = utcDay(event);
        return !day.isBefore(first) && !day.isAfter(last);
    }

    static boolean inInstants(JsonNode event, Instant start, Instant end) {
        Instant time = time(event);
        return !time.isBefore(start) && time.isBefore(end);
    }
}
