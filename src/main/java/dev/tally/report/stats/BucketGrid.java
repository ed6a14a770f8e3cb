package dev.tally.report.stats;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The time buckets of a statistics request: fixed-length buckets of {@code granularity} seconds
 * counted from an origin aligned in the request's time zone.
 *
 * <p>The origin is the start instant floored to the granularity in local wall-clock time, counted
 * from local midnight of the start's day: with granularity 3600 in America/New_York, a start at
 * 06:17 local gives an origin at 06:00 local; with 86400, local midnight. From there every bucket
 * is exactly {@code granularity} seconds long, computed in SQL by integer arithmetic on
 * {@code time_ms} (portable to every engine, no time zone database in SQL). So across a
 * daylight-saving change the local time of a bucket edge moves by the size of the change: daily
 * buckets that start at 00:00 EST before 2026-03-08 start at 01:00 EDT after it.
 *
 * <p>The first bucket is the one holding the start; the last the one holding the instant just before
 * the end. Every bucket in between is part of the series, with or without events.
 *
 * @param originMs the first bucket's start, at or before the request's start
 */
record BucketGrid(long originMs, long granularitySeconds, int count) {

    static BucketGrid of(Instant start, Instant end, long granularitySeconds, ZoneId zone) {
        long sizeMs = granularitySeconds * 1000;
        long originMs = alignedOrigin(start, granularitySeconds, zone).toEpochMilli();
        // DST gaps and overlaps can put the local floor a little off; keep the bucket that holds the start
        originMs += Math.floorDiv(start.toEpochMilli() - originMs, sizeMs) * sizeMs;
        long spanMs = end.toEpochMilli() - originMs;
        long count = end.isAfter(start) ? (spanMs + sizeMs - 1) / sizeMs : 0;
        return new BucketGrid(originMs, granularitySeconds, Math.toIntExact(count));
    }

    /** The start floored to the granularity in local wall time from local midnight of the start's day. */
    static Instant alignedOrigin(Instant start, long granularitySeconds, ZoneId zone) {
        ZonedDateTime local = start.atZone(zone);
        long secondOfDay = local.toLocalTime().toSecondOfDay();
        long floored = secondOfDay - secondOfDay % granularitySeconds;
        LocalDateTime wallTime = local.toLocalDate().atStartOfDay().plusSeconds(floored);
        return ZonedDateTime.ofLocal(wallTime, zone, local.getOffset()).toInstant();
    }

    long sizeMs() {
        return granularitySeconds * 1000;
    }

    Instant bucketStart(int index) {
        return Instant.ofEpochMilli(originMs + index * sizeMs());
    }
}
