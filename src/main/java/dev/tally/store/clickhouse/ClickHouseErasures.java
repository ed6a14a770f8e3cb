package dev.tally.store.clickhouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.store.ErasureRows;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.tenant.Erasure;
import dev.tally.tenant.ErasureState;
import dev.tally.tenant.ErasureSubject;
import dev.tally.text.WireName;
import java.util.List;
import java.util.Optional;

/**
 * Erasure jobs (the audit log) and pseudonym keys in ClickHouse, shared by every instance: jobs in
 * a ReplacingMergeTree by id, a state change a row of a higher version.
 */
final class ClickHouseErasures {
    static final String TABLE = "erasures";
    static final String COLUMNS = "id String, tenant_id String, subject String, pseudonym String, requested_by String,"
            + " reference Nullable(String), requested_ms Int64, state String, finished_ms Nullable(Int64),"
            + " row_counts String, failure Nullable(String), version UInt64";
    static final String KEYS = "pseudonym_keys";
    static final String KEY_COLUMNS = "tenant_id String, created_us UInt64, secret String";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SELECT = "SELECT id, tenant_id, subject, pseudonym, requested_by, reference,"
            + " requested_ms, state, finished_ms, row_counts, failure, version FROM " + TABLE + " FINAL WHERE ";

    private final ClickHouseHttp http;

    ClickHouseErasures(ClickHouseHttp http) {
        this.http = http;
    }

    void put(Erasure erasure) {
        long version = Versions.after(latest(erasure.id()).map(row -> row.longValue("version")).orElse(0L));
        ObjectNode row = MAPPER.createObjectNode().put("id", erasure.id()).put("tenant_id", erasure.tenantId())
                .put("subject", erasure.subject().wireName()).put("pseudonym", erasure.pseudonym())
                .put("requested_by", erasure.requestedBy()).put("reference", erasure.reference())
                .put("requested_ms", erasure.requestedMs()).put("state", erasure.state().wireName())
                .put("finished_ms", erasure.finishedMs()).put("row_counts", ErasureRows.write(erasure.rows()))
                .put("failure", erasure.failure()).put("version", version);
        insert(TABLE, row);
    }

    Optional<Erasure> byId(String id) {
        return latest(id).map(ClickHouseErasures::erasure);
    }

    List<Erasure> list(String tenantId) {
        SqlBuilder sql = new SqlBuilder().append(SELECT + "1 = 1");
        if (tenantId != null) {
            sql.append(" AND tenant_id = ").value(tenantId);
        }
        return http.query(ClickHouseLiterals.bind(sql.append(" ORDER BY requested_ms, id").build())).stream()
                .map(ClickHouseErasures::erasure).toList();
    }

    /**
     * The tenant's key: the first one written wins. An instance that finds none writes its own and
     * reads again, so two instances racing both end on the earlier of the two.
     */
    String key(String tenantId) {
        Optional<String> stored = storedKey(tenantId);
        if (stored.isPresent()) {
            return stored.get();
        }
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        insert(KEYS, MAPPER.createObjectNode().put("tenant_id", tenantId)
                .put("created_us", System.currentTimeMillis() * 1000).put("secret", java.util.HexFormat.of().formatHex(bytes)));
        return storedKey(tenantId).orElseThrow(() -> new IllegalStateException("the pseudonym key just written is not read back"));
    }

    private Optional<String> storedKey(String tenantId) {
        return http.query(ClickHouseLiterals.bind(new SqlBuilder().append("SELECT secret FROM " + KEYS
                        + " WHERE tenant_id = ").value(tenantId).append(" ORDER BY created_us, secret LIMIT 1").build()))
                .stream().findFirst().map(row -> row.string("secret"));
    }

    private Optional<Row> latest(String id) {
        return http.query(ClickHouseLiterals.bind(new SqlBuilder().append(SELECT + "id = ").value(id).build()))
                .stream().findFirst();
    }

    private static Erasure erasure(Row row) {
        Object finished = row.get("finished_ms");
        return new Erasure(row.string("id"), row.string("tenant_id"),
                WireName.find(ErasureSubject.values(), row.string("subject")).orElseThrow(), row.string("pseudonym"),
                row.string("requested_by"), row.string("reference"), row.longValue("requested_ms"),
                WireName.find(ErasureState.values(), row.string("state")).orElseThrow(),
                finished == null ? null : row.longValue("finished_ms"), ErasureRows.read(row.string("row_counts")),
                row.string("failure"));
    }

    private void insert(String table, ObjectNode row) {
        try {
            http.insert(table, MAPPER.writeValueAsString(row));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
