package dev.tally.store.clickhouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.tenant.IntegrationProvider;
import dev.tally.tenant.IntegrationSecret;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tenants' webhook secrets in ClickHouse, shared by every instance: a ReplacingMergeTree keyed by
 * (tenant, provider), read {@code FINAL}; setting one is a row of a higher version, removing one a
 * row flagged deleted.
 */
final class ClickHouseIntegrationSecrets {
    static final String TABLE = "integration_secrets";
    static final String COLUMNS = "tenant_id String, provider String, secret String, set_ms Int64, deleted UInt8,"
            + " version UInt64";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ClickHouseHttp http;

    ClickHouseIntegrationSecrets(ClickHouseHttp http) {
        this.http = http;
    }

    void put(IntegrationSecret secret) {
        long replaced = latest(secret.tenantId(), secret.provider()).map(row -> row.longValue("version")).orElse(0L);
        write(secret, false, Versions.after(replaced));
    }

    List<IntegrationSecret> list(String tenantId) {
        List<IntegrationSecret> secrets = new ArrayList<>();
        for (Row row : http.query(ClickHouseLiterals.bind(new SqlBuilder()
                .append("SELECT provider, secret, set_ms FROM " + TABLE + " FINAL WHERE tenant_id = ").value(tenantId)
                .append(" AND deleted = 0 ORDER BY provider").build()))) {
            // a provider this release does not know (written by a newer one) is left out
            IntegrationProvider.fromWire(row.string("provider")).ifPresent(provider -> secrets.add(
                    new IntegrationSecret(tenantId, provider, row.string("secret"), row.longValue("set_ms"))));
        }
        return secrets;
    }

    boolean remove(String tenantId, IntegrationProvider provider) {
        Optional<Row> live = latest(tenantId, provider).filter(row -> row.longValue("deleted") == 0);
        if (live.isEmpty()) {
            return false;
        }
        // the deleted row keeps no secret
        write(new IntegrationSecret(tenantId, provider, "", live.get().longValue("set_ms")), true,
                Versions.after(live.get().longValue("version")));
        return true;
    }

    private Optional<Row> latest(String tenantId, IntegrationProvider provider) {
        return http.query(ClickHouseLiterals.bind(new SqlBuilder()
                .append("SELECT set_ms, deleted, version FROM " + TABLE + " FINAL WHERE tenant_id = ").value(tenantId)
                .append(" AND provider = ").value(provider.wireName()).build())).stream().findFirst();
    }

    private void write(IntegrationSecret secret, boolean deleted, long version) {
        try {
            http.insert(TABLE, MAPPER.writeValueAsString(MAPPER.createObjectNode().put("tenant_id", secret.tenantId())
                    .put("provider", secret.provider().wireName()).put("secret", secret.secret())
                    .put("set_ms", secret.setMs()).put("deleted", deleted ? 1 : 0).put("version", version)));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
