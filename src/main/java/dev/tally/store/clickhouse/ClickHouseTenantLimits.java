package dev.tally.store.clickhouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.tenant.TenantLimits;
import java.util.Optional;

/** Tenants' own limits in ClickHouse, shared by every instance: the latest row by version, a removal a row flagged deleted. */
final class ClickHouseTenantLimits {
    static final String TABLE = "tenant_limits";
    static final String COLUMNS = "tenant_id String, ingest_per_second Int32, reports_per_second Int32,"
            + " ingest_in_flight Int32, reports_in_flight Int32, key_per_second Int32, deleted UInt8, version UInt64";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ClickHouseHttp http;

    ClickHouseTenantLimits(ClickHouseHttp http) {
        this.http = http;
    }

    Optional<TenantLimits> of(String tenantId) {
        return latest(tenantId).filter(row -> row.longValue("deleted") == 0).map(row -> new TenantLimits(
                (int) row.longValue("ingest_per_second"), (int) row.longValue("reports_per_second"),
                (int) row.longValue("ingest_in_flight"), (int) row.longValue("reports_in_flight"),
                (int) row.longValue("key_per_second")));
    }

    void put(String tenantId, TenantLimits limits) {
        write(tenantId, limits, false);
    }

    boolean remove(String tenantId) {
        Optional<TenantLimits> own = of(tenantId);
        own.ifPresent(limits -> write(tenantId, limits, true));
        return own.isPresent();
    }

    private Optional<Row> latest(String tenantId) {
        return http.query(ClickHouseLiterals.bind(new SqlBuilder().append("SELECT * FROM " + TABLE
                + " FINAL WHERE tenant_id = ").value(tenantId).build())).stream().findFirst();
    }

    private void write(String tenantId, TenantLimits limits, boolean deleted) {
        long version = Versions.after(latest(tenantId).map(row -> row.longValue("version")).orElse(0L));
        try {
            http.insert(TABLE, MAPPER.writeValueAsString(MAPPER.createObjectNode().put("tenant_id", tenantId)
                    .put("ingest_per_second", limits.ingestPerSecond()).put("reports_per_second", limits.reportsPerSecond())
                    .put("ingest_in_flight", limits.ingestInFlight()).put("reports_in_flight", limits.reportsInFlight())
                    .put("key_per_second", limits.keyPerSecond()).put("deleted", deleted ? 1 : 0).put("version", version)));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
