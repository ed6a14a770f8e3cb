package dev.tally.report.stats;

import dev.tally.http.CsvTable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statistics as one CSV table: a row per bucket, usage buckets first, then call buckets, told
 * apart by the {@code kind} column ({@code usage} or {@code call}). Columns are the union of both
 * kinds' keys; a key a row does not have is empty.
 */
final class StatsCsv {

    private StatsCsv() {
    }

    static CsvTable table(StatsResponse response) {
        Set<String> keys = new LinkedHashSet<>(List.of("timestamp", "model"));
        response.usageBuckets().forEach(bucket -> keys.addAll(bucket.keySet()));
        response.callBuckets().forEach(bucket -> keys.addAll(bucket.keySet()));
        // count last, after every metric column
        keys.remove("count");
        keys.add("count");
        List<String> header = new ArrayList<>();
        header.add("kind");
        header.addAll(keys);
        CsvTable table = new CsvTable(header);
        response.usageBuckets().forEach(bucket -> table.row(row("usage", keys, bucket)));
        response.callBuckets().forEach(bucket -> table.row(row("call", keys, bucket)));
        return table;
    }

    private static List<Object> row(String kind, Set<String> keys, Map<String, Object> bucket) {
        List<Object> values = new ArrayList<>();
        values.add(kind);
        keys.forEach(key -> values.add(bucket.get(key)));
        return values;
    }
}
