package dev.tally.store.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LatencySketchTest {

    @Test
    void everyValueIsWithinAlphaOfItsBucketsRepresentative() {
        for (long value = 1; value <= 200_000; value++) {
            assertWithinAlpha(value);
        }
        SplittableRandom random = new SplittableRandom(3);
        for (int draw = 0; draw < 100_000; draw++) {
            assertWithinAlpha(1 + random.nextLong(Long.MAX_VALUE / 4));
        }
        assertThat(LatencySketch.representative(LatencySketch.index(0))).isZero();
    }

    private static void assertWithinAlpha(long value) {
        double representative = LatencySketch.representative(LatencySketch.index(value));
        assertThat(Math.abs(representative - value) / value).as("value %d", value)
                .isLessThanOrEqualTo(LatencySketch.ALPHA);
    }

    @Test
    void bucketsAreOrderedLikeTheirValues() {
        int previous = LatencySketch.index(0);
        for (long value = 1; value <= 100_000; value++) {
            int index = LatencySketch.index(value);
            assertThat(index).as("value %d", value).isGreaterThanOrEqualTo(previous);
            previous = index;
        }
    }

    @Test
    void smallLatenciesAreKeptExactly() {
        for (long value = 0; value <= 66; value++) {
            assertThat(LatencySketch.representative(LatencySketch.index(value))).as("value %d", value)
                    .isEqualTo((double) value);
        }
    }

    @Test
    void quantilesInterpolateLikeQuantileContOnExactBuckets() {
        NavigableMap<Integer, Long> counts = counts(0, 10, 20, 30, 40);
        // quantile_cont over {0, 10, 20, 30, 40}: rank (5 − 1) · 0.3 = 1.2 → 10 + 0.2 · (20 − 10) = 12
        assertThat(LatencySketch.quantile(counts, 0.3)).isEqualTo(12.0);
        assertThat(LatencySketch.quantile(counts, 0)).isEqualTo(0.0);
        assertThat(LatencySketch.quantile(counts, 1)).isEqualTo(40.0);
        assertThat(LatencySketch.quantile(new TreeMap<>(), 0.5)).isNull();
    }

    @Test
    void quantilesOfRandomLatenciesAreWithinOnePercentOfExact() {
        SplittableRandom random = new SplittableRandom(17);
        for (int trial = 0; trial < 50; trial++) {
            long[] values = new long[1 + random.nextInt(5_000)];
            for (int index = 0; index < values.length; index++) {
                values[index] = random.nextInt(20) == 0 ? 0 : (long) Math.exp(random.nextDouble() * 14);
            }
            NavigableMap<Integer, Long> counts = counts(values);
            Arrays.sort(values);
            for (double fraction : new double[] {0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1}) {
                double rank = (values.length - 1) * fraction;
                int lower = (int) Math.floor(rank);
                int upper = (int) Math.ceil(rank);
                double exact = values[lower] + (rank - lower) * (values[upper] - values[lower]);
                assertThat(LatencySketch.quantile(counts, fraction)).as("trial %d, fraction %s", trial, fraction)
                        .isCloseTo(exact, within(exact * 0.01));
            }
        }
    }

    @Test
    void aNegativeLatencyIsRefused() {
        assertThatThrownBy(() -> LatencySketch.index(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static NavigableMap<Integer, Long> counts(long... values) {
        NavigableMap<Integer, Long> counts = new TreeMap<>();
        for (long value : values) {
            counts.merge(LatencySketch.index(value), 1L, Long::sum);
        }
        return counts;
    }
}
