package dev.tally.store.clickhouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.ingest.dedup.IdFingerprint;
import java.util.Map;
import java.util.Set;

/**
 * A batch's (tenant, id) keys as ClickHouse external data, with the ids' hashes, so a lookup reads
 * only the granules of {@code event_ids} or {@code call_states} that can hold them; the same rows
 * are what {@code event_ids} stores.
 */
final class BatchKeys {
    static final String NAME = "batch_keys";
    static final String STRUCTURE = "tenant_id String, id_hash Int64, id String";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BatchKeys() {
    }

    /** The keys as JSONEachRow rows of {@link #STRUCTURE}. */
    static String rows(Map<String, Set<String>> idsByTenant) {
        StringBuilder rows = new StringBuilder();
        idsByTenant.forEach((tenant, ids) -> ids.forEach(id -> rows.append(row(tenant, id)).append('\n')));
        return rows.toString();
    }

    /** One key: a row of {@code event_ids} too. */
    static String row(String tenantId, String id) {
        return MAPPER.createObjectNode().put("tenant_id", tenantId).put("id_hash", IdFingerprint.of(tenantId, id))
                .put("id", id).toString();
    }
}
