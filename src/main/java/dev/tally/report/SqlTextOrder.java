package dev.tally.report;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The order SQL gives text, both engines alike: by UTF-8 bytes, unsigned. Java's {@code compareTo}
 * orders by UTF-16 units, which differs past the Basic Multilingual Plane; reports that sort in
 * Java what SQL would have sorted use this, nulls last.
 */
public final class SqlTextOrder {
    public static final Comparator<String> NULLS_LAST = Comparator.nullsLast(
            (left, right) -> Arrays.compareUnsigned(left.getBytes(StandardCharsets.UTF_8),
                    right.getBytes(StandardCharsets.UTF_8)));

    private SqlTextOrder() {
    }
}
