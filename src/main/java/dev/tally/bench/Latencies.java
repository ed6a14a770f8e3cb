package dev.tally.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Request latencies in nanoseconds, reduced to p50 and p99 in milliseconds (nearest rank). */
final class Latencies {
    private final List<Long> nanos = new ArrayList<>();

    void add(long value) {
        nanos.add(value);
    }

    void addMillis(double value) {
        nanos.add((long) (value * 1_000_000));
    }

    int count() {
        return nanos.size();
    }

    double percentileMs(double fraction) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(fraction * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank))) / 1e6;
    }
}
