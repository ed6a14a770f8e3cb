package dev.tally.ingest.dedup;

import java.util.Arrays;

/**
 * The fingerprints of every stored id, at about eight bytes each: what the embedded store checks
 * each new event against, so its heap follows the stored events at a known rate (about 0.9 GB at
 * 100M events) rather than the twice-or-more an open-addressing table at a safe load costs.
 *
 * <p>Values are spread over {@value #BUCKETS} buckets by their top bits, each a sorted array with
 * some spare room and a short unsorted tail. A lookup scans one tail and searches one bucket; an
 * insert lands in a tail, and a full tail is merged into its bucket in place, from the back.
 * Growing copies one bucket, never the whole set, so there is no moment at which the set needs
 * twice its memory. Fingerprints are hashes, so the buckets fill evenly.
 *
 * <p>Not thread-safe: the single writer thread owns it.
 */
public final class FingerprintSet {
    private static final int BUCKET_BITS = 12;
    private static final int BUCKETS = 1 << BUCKET_BITS;
    private static final int TAIL = 128;
    private static final long[] EMPTY = new long[0];

    private final long[][] sorted = new long[BUCKETS][];
    private final int[] sortedSizes = new int[BUCKETS];
    private final long[][] tails = new long[BUCKETS][];
    private final int[] tailSizes = new int[BUCKETS];
    private long size;

    /** Made by a {@link #loader}, even an empty one: a store always starts by reading its stored ids. */
    private FingerprintSet() {
        Arrays.fill(sorted, EMPTY);
    }

    /**
     * Loads many values at once (a store reading its ids at start): appended unsorted, then one
     * sort per bucket, instead of a merge per tail. {@code expected} sizes the buckets up front.
     */
    public static Loader loader(long expected) {
        return new Loader(expected);
    }

    public static final class Loader {
        private final FingerprintSet set = new FingerprintSet();

        private Loader(long expected) {
            int perBucket = (int) Math.min(Integer.MAX_VALUE - 16, expected / BUCKETS + (expected / BUCKETS >> 3) + 16);
            if (expected >= BUCKETS * 16L) {
                for (int bucket = 0; bucket < BUCKETS; bucket++) {
                    set.sorted[bucket] = new long[perBucket];
                }
            }
        }

        public void add(long value) {
            int bucket = bucket(value);
            long[] values = set.sorted[bucket];
            int count = set.sortedSizes[bucket];
            if (count == values.length) {
                values = Arrays.copyOf(values, grown(count));
                set.sorted[bucket] = values;
            }
            values[count] = value;
            set.sortedSizes[bucket] = count + 1;
        }

        public FingerprintSet finish() {
            long total = 0;
            for (int bucket = 0; bucket < BUCKETS; bucket++) {
                set.sortedSizes[bucket] = sortUnique(set.sorted[bucket], set.sortedSizes[bucket]);
                total += set.sortedSizes[bucket];
            }
            set.size = total;
            return set;
        }
    }

    /** Sorts the first {@code count} values and drops repeats; returns how many are left. */
    private static int sortUnique(long[] values, int count) {
        Arrays.sort(values, 0, count);
        int kept = 0;
        for (int index = 0; index < count; index++) {
            if (kept == 0 || values[kept - 1] != values[index]) {
                values[kept++] = values[index];
            }
        }
        return kept;
    }

    public boolean contains(long value) {
        int bucket = bucket(value);
        long[] tail = tails[bucket];
        for (int index = 0; index < tailSizes[bucket]; index++) {
            if (tail[index] == value) {
                return true;
            }
        }
        return search(sorted[bucket], sortedSizes[bucket], value);
    }

    /**
     * Interpolation search, then binary: fingerprints are hashes, spread evenly over a bucket's
     * range, so guessing a value's place from its size finds it in two or three probes where a
     * binary search of a bucket of 24,000 (at 100M events) takes fifteen, most of them cache misses.
     * All values of a bucket share their top bits, so differences fit a long without overflow.
     */
    private static boolean search(long[] values, int count, long value) {
        int low = 0;
        int high = count - 1;
        for (int probe = 0; probe < 4 && low <= high; probe++) {
            long lowest = values[low];
            long highest = values[high];
            if (value < lowest || value > highest) {
                return false;
            }
            if (lowest == highest) {
                return value == lowest;
            }
            int guess = low + (int) ((double) (value - lowest) / (highest - lowest) * (high - low));
            long found = values[guess];
            if (found == value) {
                return true;
            }
            if (found < value) {
                low = guess + 1;
            } else {
                high = guess - 1;
            }
        }
        return low <= high && Arrays.binarySearch(values, low, high + 1, value) >= 0;
    }

    /** Adds the value; returns false when it was already there. */
    public boolean add(long value) {
        if (contains(value)) {
            return false;
        }
        int bucket = bucket(value);
        long[] tail = tails[bucket];
        if (tail == null) {
            tail = new long[TAIL];
            tails[bucket] = tail;
        }
        tail[tailSizes[bucket]++] = value;
        size++;
        if (tailSizes[bucket] == TAIL) {
            mergeTail(bucket);
        }
        return true;
    }

    /** Merges a full tail into its bucket from the back, so no value is moved more than once. */
    private void mergeTail(int bucket) {
        long[] tail = tails[bucket];
        int tailCount = tailSizes[bucket];
        Arrays.sort(tail, 0, tailCount);
        int count = sortedSizes[bucket];
        long[] values = sorted[bucket];
        if (values.length < count + tailCount) {
            values = Arrays.copyOf(values, Math.max(count + tailCount, grown(count)));
            sorted[bucket] = values;
        }
        int from = count - 1;
        int fromTail = tailCount - 1;
        for (int to = count + tailCount - 1; fromTail >= 0; to--) {
            if (from >= 0 && values[from] > tail[fromTail]) {
                values[to] = values[from--];
            } else {
                values[to] = tail[fromTail--];
            }
        }
        sortedSizes[bucket] = count + tailCount;
        tailSizes[bucket] = 0;
    }

    /** An eighth more room than used: the spare room is what keeps the set near eight bytes a value. */
    private static int grown(int count) {
        return Math.max(TAIL, count + (count >> 3));
    }

    public long size() {
        return size;
    }

    /** Bytes held by the arrays, for the memory figures the store states. */
    public long bytes() {
        long bytes = 0;
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            bytes += 8L * sorted[bucket].length + (tails[bucket] == null ? 0 : 8L * TAIL);
        }
        return bytes;
    }

    private static int bucket(long value) {
        return (int) (value >>> (64 - BUCKET_BITS));
    }
}
