package dev.tally.store.rollup;

import java.util.Arrays;
import java.util.NavigableMap;

/**
 * A mergeable quantile sketch of non-negative integer values (latencies in milliseconds), with a
 * relative error bound: the DDSketch mapping. Bucket {@code i} holds the values in
 * {@code (γ^(i-1), γ^i]}, with {@code γ = (1 + α) / (1 − α)}; zero has a bucket of its own.
 * Every value of a bucket is within {@code α} of the bucket's representative, so a quantile read
 * from bucket counts is within {@code α} of the exact one, relatively.
 *
 * <p>Why this and not t-digest or a reservoir: the state is just counts per bucket index, so it
 * is stored as rows ({@code slot, index, count}) that any SQL engine sums; merging hours, shards or
 * delta rows is addition, exactly, in any order.
 *
 * <p>The bucket index is part of the stored format: changing {@link #ALPHA} needs the latency
 * rollup rebuilt (the rollup version).
 */
public final class LatencySketch {
    /** Below the 1 % the README promises, with room for floating-point error at bucket edges. */
    public static final double ALPHA = 0.0075;
    private static final double GAMMA = (1 + ALPHA) / (1 - ALPHA);
    private static final double LOG_GAMMA = Math.log(GAMMA);
    /** The bucket of zero, below every bucket of a positive value ({@code index(1)} is 0). */
    public static final int ZERO_INDEX = -1;

    private LatencySketch() {
    }

    /** The bucket holding a value: the {@code i} with {@code γ^(i-1) < value ≤ γ^i}. */
    public static int index(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("a latency is never negative: " + value);
        }
        if (value == 0) {
            return ZERO_INDEX;
        }
        int index = (int) Math.ceil(Math.log(value) / LOG_GAMMA);
        // the logarithm can land on the wrong side of an edge by rounding; the edges below decide
        while (index > 0 && upperBound(index - 1) >= value) {
            index--;
        }
        while (upperBound(index) < value) {
            index++;
        }
        return index;
    }

    /**
     * {@link #index} as SQL over a non-negative integer expression, for a store deriving the
     * latency rollup from raw rows: the same logarithm, then the same one-step corrections at the
     * edges, so rounding in the engine's logarithm lands on the bucket Java picks. Only functions
     * both engines spell alike ({@code log2}, {@code ceil}, {@code pow}).
     */
    public static String indexSql(String value) {
        String estimate = "ceil(log2(" + value + ") / " + Math.log(GAMMA) / Math.log(2) + ")";
        return "CASE WHEN " + value + " = 0 THEN " + ZERO_INDEX + " ELSE " + estimate
                + " - CASE WHEN " + estimate + " > 0 AND pow(" + GAMMA + ", " + estimate + " - 1) >= " + value
                + " THEN 1 ELSE 0 END + CASE WHEN pow(" + GAMMA + ", " + estimate + ") < " + value
                + " THEN 1 ELSE 0 END END";
    }

    /**
     * The value that stands for a bucket: the point within {@code α} of both its edges, moved into
     * the range of whole numbers the bucket can hold, so a bucket holding a single integer (every
     * bucket of latencies up to 66 ms) answers it exactly.
     */
    public static double representative(int index) {
        if (index == ZERO_INDEX) {
            return 0;
        }
        double upper = upperBound(index);
        double centre = 2 * upper / (GAMMA + 1);
        double lowestWhole = index == 0 ? 1 : Math.floor(upperBound(index - 1)) + 1;
        double highestWhole = Math.floor(upper);
        return Math.min(Math.max(centre, lowestWhole), highestWhole);
    }

    private static double upperBound(int index) {
        return Math.pow(GAMMA, index);
    }

    /**
     * The {@code fraction} quantile of the counted values ({@link Counts#quantile}).
     *
     * @param counts values per bucket index, ascending
     * @return null when nothing was counted
     */
    public static Double quantile(NavigableMap<Integer, Long> counts, double fraction) {
        Counts dense = new Counts();
        counts.forEach(dense::add);
        return dense.quantile(fraction);
    }

    /**
     * Values counted per bucket index, in an array by index: a report adds thousands of stored
     * sketch rows, and a sorted map's boxing and rebalancing cost more than the reading.
     */
    public static final class Counts {
        /** Position {@code i} counts the bucket of index {@code i + ZERO_INDEX}. */
        private long[] counts = new long[256];
        private long total;

        public void add(int index, long count) {
            if (index < ZERO_INDEX) {
                throw new IllegalArgumentException("no sketch bucket has the index " + index);
            }
            int position = index - ZERO_INDEX;
            if (position >= counts.length) {
                counts = Arrays.copyOf(counts, Math.max(position + 1, counts.length * 2));
            }
            counts[position] += count;
            total += count;
        }

        /**
         * The {@code fraction} quantile, interpolated between neighbouring ranks as
         * {@code quantile_cont} does: the value at rank {@code h = (n − 1) · fraction} is
         * {@code x[floor h] + (h − floor h) · (x[ceil h] − x[floor h])}. Each of the two ranks is read
         * from its bucket's representative, so the interpolation stays within the same relative error.
         *
         * @return null when nothing was counted
         */
        public Double quantile(double fraction) {
            if (total == 0) {
                return null;
            }
            double rank = (total - 1) * fraction;
            long lowerRank = (long) Math.floor(rank);
            long upperRank = (long) Math.ceil(rank);
            double lower = valueAt(lowerRank);
            double upper = upperRank == lowerRank ? lower : valueAt(upperRank);
            return lower + (rank - lowerRank) * (upper - lower);
        }

        /** The representative of the bucket holding the value of 0-based rank {@code rank}. */
        private double valueAt(long rank) {
            long seen = 0;
            for (int position = 0; position < counts.length; position++) {
                seen += counts[position];
                if (rank < seen) {
                    return representative(position + ZERO_INDEX);
                }
            }
            throw new IllegalArgumentException("rank " + rank + " beyond " + seen + " counted values");
        }
    }
}
