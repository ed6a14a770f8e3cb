package dev.tally.report.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class BucketGridTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void utcOriginIsTheStartFlooredToTheGranularity() {
        BucketGrid grid = BucketGrid.of(Instant.parse("2026-03-14T00:17:30Z"), Instant.parse("2026-03-14T02:00:00Z"),
                900, ZoneId.of("UTC"));
        assertThat(grid.bucketStart(0)).isEqualTo(Instant.parse("2026-03-14T00:15:00Z"));
        // 00:15, 00:30, …, 01:45: the last holds 01:59:59.999
        assertThat(grid.count()).isEqualTo(7);
        assertThat(grid.bucketStart(6)).isEqualTo(Instant.parse("2026-03-14T01:45:00Z"));
    }

    @Test
    void hourlyBucketsAlignToLocalHoursInAHalfHourZone() {
        // Kolkata is UTC+05:30: 00:07Z is 05:37 local, floored to 05:00 local = 23:30Z the day before
        BucketGrid grid = BucketGrid.of(Instant.parse("2026-03-14T00:07:00Z"), Instant.parse("2026-03-14T01:00:00Z"),
                3600, ZoneId.of("Asia/Kolkata"));
        assertThat(grid.bucketStart(0)).isEqualTo(Instant.parse("2026-03-13T23:30:00Z"));
        assertThat(grid.bucketStart(1)).isEqualTo(Instant.parse("2026-03-14T00:30:00Z"));
        assertThat(grid.count()).isEqualTo(2);
    }

    @Test
    void dailyBucketsStartAtLocalMidnightThenKeepTheirLengthAcrossDaylightSaving() {
        // 2026-03-08 02:00 EST becomes 03:00 EDT: the local day is 23 hours long, the buckets are not
        BucketGrid grid = BucketGrid.of(Instant.parse("2026-03-07T12:00:00Z"), Instant.parse("2026-03-10T12:00:00Z"),
                86_400, NEW_YORK);
        assertThat(grid.bucketStart(0)).isEqualTo(Instant.parse("2026-03-07T05:00:00Z")); // 00:00 EST
        assertThat(grid.bucketStart(1)).isEqualTo(Instant.parse("2026-03-08T05:00:00Z")); // 00:00 EST
        assertThat(grid.bucketStart(2)).isEqualTo(Instant.parse("2026-03-09T05:00:00Z")); // 01:00 EDT
        assertThat(grid.bucketStart(2).atZone(NEW_YORK).getHour()).isEqualTo(1);
        assertThat(grid.bucketStart(3)).isEqualTo(Instant.parse("2026-03-10T05:00:00Z"));
        assertThat(grid.count()).isEqualTo(4);
    }

    @Test
    void aStartAfterTheSpringForwardAlignsToItsOwnLocalHour() {
        // 10:17Z on 2026-03-08 is 06:17 EDT: the hour bucket starts at 06:00 EDT = 10:00Z
        assertThat(BucketGrid.alignedOrigin(Instant.parse("2026-03-08T10:17:00Z"), 3600, NEW_YORK))
                .isEqualTo(Instant.parse("2026-03-08T10:00:00Z"));
    }

    @Test
    void aLocalFloorInsideTheSpringForwardGapStillHoldsTheStart() {
        // 2 h 15 min buckets: 03:10 EDT floors to 02:15, which does not exist that night; the bucket
        // holding the start is used instead, never one that begins after it
        Instant start = Instant.parse("2026-03-08T07:10:00Z");
        BucketGrid grid = BucketGrid.of(start, Instant.parse("2026-03-08T08:00:00Z"), 8_100, NEW_YORK);
        assertThat(grid.bucketStart(0)).isBeforeOrEqualTo(start);
        assertThat(grid.bucketStart(0).plusSeconds(8_100)).isAfter(start);
    }

    @Test
    void anEmptyRangeHasNoBuckets() {
        Instant instant = Instant.parse("2026-03-14T00:00:00Z");
        assertThat(BucketGrid.of(instant, instant, 300, ZoneId.of("UTC")).count()).isZero();
    }
}
