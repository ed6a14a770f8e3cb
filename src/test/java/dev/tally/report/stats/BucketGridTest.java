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
    void dailyBucketsStartAtEveryLocalMidnightAcrossDaylightSaving() {
        // 2026-03-08 02:00 EST becomes 03:00 EDT: that local day, and its bucket, is 23 hours long
        BucketGrid grid = BucketGrid.of(Instant.parse("2026-03-07T12:00:00Z"), Instant.parse("2026-03-10T12:00:00Z"),
                86_400, NEW_YORK);
        assertThat(grid.bucketStart(0)).isEqualTo(Instant.parse("2026-03-07T05:00:00Z")); // 00:00 EST
        assertThat(grid.bucketStart(1)).isEqualTo(Instant.parse("2026-03-08T05:00:00Z")); // 00:00 EST
        assertThat(grid.bucketStart(2)).isEqualTo(Instant.parse("2026-03-09T04:00:00Z")); // 00:00 EDT
        assertThat(grid.bucketStart(3)).isEqualTo(Instant.parse("2026-03-10T04:00:00Z"));
        assertThat(grid.count()).isEqualTo(4);
    }

    @Test
    void theFallBackDayIsTwentyFiveHoursAndTheNextStartsAtMidnight() {
        // 2026-11-01 02:00 EDT becomes 01:00 EST
        BucketGrid grid = BucketGrid.of(Instant.parse("2026-10-31T12:00:00Z"), Instant.parse("2026-11-03T00:00:00Z"),
                86_400, NEW_YORK);
        assertThat(grid.bucketStart(0)).isEqualTo(Instant.parse("2026-10-31T04:00:00Z")); // 00:00 EDT
        assertThat(grid.bucketStart(1)).isEqualTo(Instant.parse("2026-11-01T04:00:00Z")); // 00:00 EDT
        assertThat(grid.bucketStart(2)).isEqualTo(Instant.parse("2026-11-02T05:00:00Z")); // 00:00 EST, 25 h later
        assertThat(grid.bucketStart(2).atZone(NEW_YORK).getHour()).isZero();
        assertThat(grid.count()).isEqualTo(3);
    }

    @Test
    void weeklyBucketsAreSevenLocalDays() {
        // Sydney leaves daylight saving on 2026-04-05 (03:00 AEDT → 02:00 AEST), inside the first week
        ZoneId sydney = ZoneId.of("Australia/Sydney");
        BucketGrid grid = BucketGrid.of(Instant.parse("2026-04-01T03:00:00Z"), Instant.parse("2026-04-12T00:00:00Z"),
                604_800, sydney);
        assertThat(grid.bucketStart(0)).isEqualTo(Instant.parse("2026-03-31T13:00:00Z")); // 04-01 00:00 AEDT
        assertThat(grid.bucketStart(1)).isEqualTo(Instant.parse("2026-04-07T14:00:00Z")); // 04-08 00:00 AEST
        assertThat(grid.count()).isEqualTo(2);
    }

    @Test
    void aDayWithoutMidnightStartsAtItsFirstInstant() {
        // Santiago springs forward at 24:00 on 2026-09-05: 2026-09-06 begins at 01:00 (-03:00)
        BucketGrid grid = BucketGrid.of(Instant.parse("2026-09-05T12:00:00Z"), Instant.parse("2026-09-06T12:00:00Z"),
                86_400, ZoneId.of("America/Santiago"));
        assertThat(grid.bucketStart(0)).isEqualTo(Instant.parse("2026-09-05T04:00:00Z"));
        assertThat(grid.bucketStart(1)).isEqualTo(Instant.parse("2026-09-06T04:00:00Z"));
        assertThat(grid.bucketStart(1).atZone(ZoneId.of("America/Santiago")).getHour()).isEqualTo(1);
        assertThat(grid.count()).isEqualTo(2);
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
