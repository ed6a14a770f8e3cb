package dev.tally.report.stats;

import dev.tally.store.sql.SqlBuilder;
import dev.tally.store.sql.SqlDialect;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The time buckets of a statistics request, each {@code [edge i, edge i + 1)}.
 *
 * <p>A granularity of whole days (86,400 s, a week, …) is counted in local calendar days of the
 * request's time zone: every bucket starts at a local midnight, from the one of the start's day, so
 * a bucket that spans a daylight-saving change is 23 or 25 hours long (in New York, the daily
 * bucket of 2026-11-02 still starts at 00:00 EST). Where midnight does not exist (Santiago's spring
 * forward happens at 24:00), the day starts at the first instant it has.
 *
 * <p>Any other granularity gives buckets of exactly {@code granularity} seconds from an origin:
 * the start floored to the granularity in local wall-clock time, counted from local midnight of the
 * start's day (with 3600 in America/New_York, a start at 06:17 local gives 06:00 local).
 *
 * <p>Either way the edges are computed here, in Java, and SQL only compares and divides integers
 * ({@link #appendBucket}), so no engine needs time zone rules. The first bucket is the one holding
 * the start; the last the one holding the instant just before the end. Every bucket in between is
 * part of the series, with or without events.
 */
final class BucketGrid {
    private static final long DAY_SECONDS = 86_400;

    private final long granularitySeconds;
    /** The first bucket's start, at or before the request's start. */
    private final long originMs;
    private final int count;
    /** For calendar-day buckets, the count + 1 edges; null for fixed-length buckets. */
    private final long[] calendarEdgesMs;

    private BucketGrid(long granularitySeconds, long originMs, int count, long[] calendarEdgesMs) {
        this.granularitySeconds = granularitySeconds;
        this.originMs = originMs;
        this.count = count;
        this.calendarEdgesMs = calendarEdgesMs;
    }

    static BucketGrid of(Instant start, Instant end, long granularitySeconds, ZoneId zone) {
        if (granularitySeconds % DAY_SECONDS == 0) {
            return calendarDays(start, end, granularitySeconds, zone);
        }
        long sizeMs = granularitySeconds * 1000;
        long originMs = alignedOrigin(start, granularitySeconds, zone).toEpochMilli();
        // DST gaps and overlaps can put the local floor a little off; keep the bucket that holds the start
        originMs += Math.floorDiv(start.toEpochMilli() - originMs, sizeMs) * sizeMs;
        long spanMs = end.toEpochMilli() - originMs;
        long count = end.isAfter(start) ? (spanMs + sizeMs - 1) / sizeMs : 0;
        return new BucketGrid(granularitySeconds, originMs, Math.toIntExact(count), null);
    }

    private static BucketGrid calendarDays(Instant start, Instant end, long granularitySeconds, ZoneId zone) {
        long daysPerBucket = granularitySeconds / DAY_SECONDS;
        LocalDate firstDay = start.atZone(zone).toLocalDate();
        List<Long> edges = new ArrayList<>();
        edges.add(firstDay.atStartOfDay(zone).toInstant().toEpochMilli());
        if (end.isAfter(start)) {
            long endMs = end.toEpochMilli();
            for (long bucket = 1; edges.get(edges.size() - 1) < endMs; bucket++) {
                edges.add(firstDay.plusDays(bucket * daysPerBucket).atStartOfDay(zone).toInstant().toEpochMilli());
            }
        }
        long[] edgesMs = edges.stream().mapToLong(Long::longValue).toArray();
        // no offset change in the range (always so in UTC): the buckets are fixed-length, and dividing
        // is cheaper in SQL than comparing with every edge
        return evenlySpaced(edgesMs, granularitySeconds * 1000)
                ? new BucketGrid(granularitySeconds, edgesMs[0], edgesMs.length - 1, null)
                : new BucketGrid(granularitySeconds, edgesMs[0], edgesMs.length - 1, edgesMs);
    }

    private static boolean evenlySpaced(long[] edgesMs, long sizeMs) {
        for (int index = 1; index < edgesMs.length; index++) {
            if (edgesMs[index] - edgesMs[index - 1] != sizeMs) {
                return false;
            }
        }
        return true;
    }

    /** The start floored to the granularity in local wall time from local midnight of the start's day. */
    static Instant alignedOrigin(Instant start, long granularitySeconds, ZoneId zone) {
        ZonedDateTime local = start.atZone(zone);
        long secondOfDay = local.toLocalTime().toSecondOfDay();
        long floored = secondOfDay - secondOfDay % granularitySeconds;
        LocalDateTime wallTime = local.toLocalDate().atStartOfDay().plusSeconds(floored);
        return ZonedDateTime.ofLocal(wallTime, zone, local.getOffset()).toInstant();
    }

    int count() {
        return count;
    }

    Instant bucketStart(int index) {
        if (calendarEdgesMs != null) {
            return Instant.ofEpochMilli(calendarEdgesMs[index]);
        }
        return Instant.ofEpochMilli(originMs + index * granularitySeconds * 1000);
    }

    /**
     * Whether every bucket edge is a multiple of {@code unitMs} since the epoch, so that each
     * rollup slot of that length lies in one bucket.
     */
    boolean edgesOnMultiplesOf(long unitMs) {
        if (calendarEdgesMs == null) {
            return Math.floorMod(originMs, unitMs) == 0 && (granularitySeconds * 1000) % unitMs == 0;
        }
        for (long edge : calendarEdgesMs) {
            if (Math.floorMod(edge, unitMs) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Appends the bucket index of {@code timeExpression} (epoch milliseconds at or after the
     * origin): integer division for fixed-length buckets; for calendar days, at most 32 in a
     * 31-day range, the comparisons against each edge, as every engine's {@code CASE} reads them.
     */
    void appendBucket(SqlBuilder sql, String timeExpression, SqlDialect dialect) {
        if (calendarEdgesMs == null) {
            StatsQuery.appendBound(sql, dialect.integerDivide(timeExpression + " - ?", "?"), originMs,
                    granularitySeconds * 1000);
            return;
        }
        if (count <= 1) {
            sql.append("0");
            return;
        }
        sql.append("CASE");
        for (int index = 1; index < count; index++) {
            sql.append(" WHEN " + timeExpression + " < ").value(calendarEdgesMs[index]).append(" THEN " + (index - 1));
        }
        sql.append(" ELSE " + (count - 1) + " END");
    }
}
