package dev.tally.store;

import java.util.Map;
import java.util.TreeMap;

/** An erasure's rows per table as one text column ({@code calls=1,events=12}), the same in every store. */
public final class ErasureRows {
    private ErasureRows() {
    }

    public static String write(Map<String, Long> rows) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(rows).forEach((table, count) -> {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(table).append('=').append(count);
        });
        return text.toString();
    }

    public static Map<String, Long> read(String text) {
        Map<String, Long> rows = new TreeMap<>();
        if (text == null || text.isEmpty()) {
            return rows;
        }
        for (String entry : text.split(",")) {
            int equals = entry.indexOf('=');
            rows.put(entry.substring(0, equals), Long.parseLong(entry.substring(equals + 1)));
        }
        return rows;
    }
}
