package dev.tally.store.clickhouse;

import dev.tally.store.ExpiringCache;
import dev.tally.store.sql.Row;
import java.util.HashMap;
import java.util.Map;

/**
 * From when each tenant's raw rows are whole ({@code raw_kept_from}): retention deleted what is
 * before. The rollups of those hours were recomputed before the rows went, and are never
 * recomputed again nor derived from raw rows, as raw rows would now add up to nothing. The time
 * only moves forward: a shorter retention set later deletes more, never brings rows back.
 */
final class ClickHouseKeptFrom {
    static final String TABLE = "raw_kept_from";
    static final String COLUMNS = "tenant_id String, from_ms Int64";
    /** Whole raw rows: no time before this. */
    static final long WHOLE = Long.MIN_VALUE;

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final ClickHouseHttp http;
    /** Every tenant's, read at once and again after a few seconds: another instance's run reaches these reads then. */
    private volatile Snapshot snapshot;

    private record Snapshot(Map<String, Long> byTenant, long readNanos) {
    }

    ClickHouseKeptFrom(ClickHouseHttp http) {
        this.http = http;
    }

    /** The tenant's first time with whole raw rows, or {@link #WHOLE}. */
    long of(String tenantId) {
        Snapshot current = snapshot;
        if (current == null || System.nanoTime() - current.readNanos() > ExpiringCache.DEFAULT_MAX_AGE.toNanos()) {
            current = new Snapshot(all(), System.nanoTime());
            snapshot = current;
        }
        return current.byTenant().getOrDefault(tenantId, WHOLE);
    }

    /** Every tenant's with deleted rows, read now. */
    Map<String, Long> all() {
        Map<String, Long> keptFrom = new HashMap<>();
        for (Row row : http.query("SELECT tenant_id, max(from_ms) AS from_ms FROM " + TABLE + " GROUP BY tenant_id")) {
            keptFrom.put(row.string("tenant_id"), row.longValue("from_ms"));
        }
        return keptFrom;
    }

    void record(String tenantId, long fromMs) {
        http.insert(TABLE, MAPPER.createObjectNode().put("tenant_id", tenantId).put("from_ms", fromMs) + "\n");
        snapshot = null;
    }
}
