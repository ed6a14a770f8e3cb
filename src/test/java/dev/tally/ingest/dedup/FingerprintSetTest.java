package dev.tally.ingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fingerprint set answers like a {@code HashSet<Long>}, loaded or grown, at about eight bytes a value. */
class FingerprintSetTest {

    @Test
    void answersLikeAHashSetThroughLoadsAndAdds() {
        SplittableRandom random = new SplittableRandom(7);
        Set<Long> expected = new HashSet<>();
        FingerprintSet.Loader loader = FingerprintSet.loader(200_000);
        long[] edges = {0L, -1L, 1L, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1};
        for (long edge : edges) {
            loader.add(edge);
            expected.add(edge);
        }
        for (int index = 0; index < 200_000; index++) {
            long value = random.nextLong();
            loader.add(value);
            expected.add(value);
            if (index % 1000 == 0) {
                // a store's id column never repeats a fingerprint, but a loader must not count one twice
                loader.add(value);
            }
        }
        FingerprintSet set = loader.finish();
        assertThat(set.size()).isEqualTo(expected.size());

        // values crowded into one bucket (same top bits) merge many tails into one sorted run
        for (int index = 0; index < 50_000; index++) {
            long value = random.nextBoolean() ? random.nextLong() : (0x7ABL << 52) | random.nextLong(1L << 52);
            assertThat(set.add(value)).isEqualTo(expected.add(value));
            long probe = random.nextInt(4) == 0 ? value : random.nextLong();
            assertThat(set.contains(probe)).as("probe %d", probe).isEqualTo(expected.contains(probe));
        }
        for (long value : expected) {
            assertThat(set.contains(value)).isTrue();
            assertThat(set.add(value)).isFalse();
        }
        for (long edge : edges) {
            assertThat(set.contains(edge)).isTrue();
        }
        assertThat(set.size()).isEqualTo(expected.size());
    }

    /** Values added as known absent are found like added ones, and counted once. */
    @Test
    void valuesAddedAsAbsentAreFound() {
        SplittableRandom random = new SplittableRandom(13);
        Set<Long> expected = new HashSet<>();
        FingerprintSet set = FingerprintSet.loader(0).finish();
        for (int index = 0; index < 100_000; index++) {
            long value = index % 3 == 0 ? (0x123L << 52) | random.nextLong(1L << 52) : random.nextLong();
            assertThat(set.contains(value)).isFalse();
            set.addAbsent(value);
            expected.add(value);
        }
        for (long value : expected) {
            assertThat(set.contains(value)).isTrue();
            assertThat(set.add(value)).isFalse();
        }
        assertThat(set.contains(random.nextLong())).isFalse();
        assertThat(set.size()).isEqualTo(expected.size());
    }

    @Test
    void anEmptySetGrowsFromNothing() {
        FingerprintSet set = FingerprintSet.loader(0).finish();
        assertThat(set.contains(0L)).isFalse();
        assertThat(set.add(0L)).isTrue();
        assertThat(set.add(0L)).isFalse();
        assertThat(set.contains(0L)).isTrue();
        assertThat(set.size()).isEqualTo(1);
    }

    @Test
    void holdsAboutEightBytesAValue() {
        SplittableRandom random = new SplittableRandom(11);
        FingerprintSet.Loader loader = FingerprintSet.loader(4_000_000);
        for (int index = 0; index < 4_000_000; index++) {
            loader.add(random.nextLong());
        }
        FingerprintSet set = loader.finish();
        for (int index = 0; index < 2_000_000; index++) {
            set.add(random.nextLong());
        }
        assertThat(set.size()).isEqualTo(6_000_000);
        // eight bytes, the spare eighth per bucket and the tails: under ten bytes a value, against 16–32 for a hash table at load 0.5
        assertThat((double) set.bytes() / set.size()).isLessThan(10.0);
    }
}
