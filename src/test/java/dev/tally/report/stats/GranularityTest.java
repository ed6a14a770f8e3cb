package dev.tally.report.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GranularityTest {

    @ParameterizedTest(name = "{0} ms → {1} s")
    @CsvSource({
            // each band's upper bound is inclusive; one millisecond more is the next band
            "1000, 300",
            "7200000, 300",
            "7200001, 3600",
            "43200000, 3600",
            "43200001, 21600",
            "259200000, 21600",
            "259200001, 43200",
            "1209600000, 43200",
            "1209600001, 86400",
            "2678400000, 86400"})
    void automaticGranularityByRange(long rangeMs, long expectedSeconds) {
        assertThat(Granularity.resolve(null, rangeMs)).isEqualTo(expectedSeconds);
    }

    @ParameterizedTest(name = "{0} s over {1} ms → {2} s")
    @CsvSource({
            // 2 h at 1 s: 7,200 buckets, under the cap
            "1, 7200000, 1",
            // 10,000 buckets exactly is allowed
            "1, 10000000, 1",
            // 10,000 s + 1 ms: floor(10000.001 / 10000) + 1 = 2
            "1, 10000001, 2",
            // 3 h at 1 s: 10,800 buckets → floor(10800 / 10000) + 1 = 2
            "1, 10800000, 2",
            // 31 days at 60 s: 44,640 buckets → floor(2678400 / 10000) + 1 = 268
            "60, 2678400000, 268",
            // a granularity larger than the range is kept: one bucket
            "86400, 3600000, 86400"})
    void requestedGranularityIsKeptUnlessOverTenThousandBuckets(long requested, long rangeMs, long expected) {
        assertThat(Granularity.resolve(requested, rangeMs)).isEqualTo(expected);
        assertThat(Duration.ofMillis(rangeMs).toSeconds() / expected).isLessThanOrEqualTo(10_000);
    }
}
