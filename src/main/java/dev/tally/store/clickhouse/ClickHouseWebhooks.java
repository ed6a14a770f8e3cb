package dev.tally.store.clickhouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.tenant.Webhook;
import dev.tally.tenant.WebhookEvent;
import java.util.List;
import java.util.Optional;

/**
 * Webhooks in ClickHouse, shared by every instance: a ReplacingMergeTree keyed by id, read
 * {@code FINAL}; a removal is a row of a higher version flagged deleted.
 */
final class ClickHouseWebhooks {
    static final String TABLE = "webhooks";
    static final String COLUMNS = "id String, tenant_id Nullable(String), url String, events String, secret String,"
            + " created_ms Int64, deleted UInt8, version UInt64";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SELECT = "SELECT id, tenant_id, url, events, secret, created_ms, deleted, version FROM "
            + TABLE + " FINAL WHERE ";

    private final ClickHouseHttp http;

    ClickHouseWebhooks(ClickHouseHttp http) {
        this.http = http;
    }

    void put(Webhook webhook) {
        write(webhook, false, Versions.after(0));
    }

    Optional<Webhook> byId(String id) {
        return latest(id).filter(row -> row.longValue("deleted") == 0).map(ClickHouseWebhooks::webhook);
    }

    List<Webhook> list() {
        return http.query(ClickHouseLiterals.bind(new SqlBuilder().append(SELECT + "deleted = 0 ORDER BY created_ms, id")
                .build())).stream().map(ClickHouseWebhooks::webhook).toList();
    }

    boolean remove(String id) {
        Optional<Row> live = latest(id).filter(row -> row.longValue("deleted") == 0);
        if (live.isEmpty()) {
            return false;
        }
        write(webhook(live.get()), true, Versions.after(live.get().longValue("version")));
        return true;
    }

    private Optional<Row> latest(String id) {
        return http.query(ClickHouseLiterals.bind(new SqlBuilder().append(SELECT + "id = ").value(id).build()))
                .stream().findFirst();
    }

    private static Webhook webhook(Row row) {
        return new Webhook(row.string("id"), row.string("tenant_id"), row.string("url"),
                WebhookEvent.split(row.string("events")), row.string("secret"), row.longValue("created_ms"));
    }

    private void write(Webhook webhook, boolean deleted, long version) {
        ObjectNode row = MAPPER.createObjectNode().put("id", webhook.id()).put("tenant_id", webhook.tenantId())
                .put("url", webhook.url()).put("events", WebhookEvent.joined(webhook.events()))
                .put("secret", webhook.secret()).put("created_ms", webhook.createdMs())
                .put("deleted", deleted ? 1 : 0).put("version", version);
        try {
            http.insert(TABLE, MAPPER.writeValueAsString(row));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
