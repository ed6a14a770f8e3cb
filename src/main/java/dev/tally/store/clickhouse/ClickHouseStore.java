package dev.tally.store.clickhouse;

import dev.tally.store.EventStore;
import dev.tally.store.MetadataStore;
import dev.tally.store.sql.RawTable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens the ClickHouse store: checks the servers answer, creates or migrates the schema, and hands
 * out the event and metadata stores, which share one HTTP client.
 */
public final class ClickHouseStore {
    private final ClickHouseConfig config;
    private final ClickHouseEventStore events;
    private final ClickHouseMetadataStore metadata;

    private ClickHouseStore(ClickHouseConfig config, ClickHouseHttp http) {
        this.config = config;
        this.events = new ClickHouseEventStore(http, config);
        this.metadata = new ClickHouseMetadataStore(http);
    }

    public static ClickHouseStore open(ClickHouseConfig config) {
        ClickHouseHttp server = new ClickHouseHttp(config.endpoints(), settings(config, false));
        boolean chatTablesAreNew = ClickHouseChatReferences.missing(server, config.database());
        new ClickHouseSchema(server, config).migrate();
        ClickHouseHttp http = new ClickHouseHttp(config.endpoints(), settings(config, true));
        new ClickHouseRollups(http, new ClickHouseDialect(), System::currentTimeMillis).markExistingRows();
        recordExistingIds(http);
        recordExistingCallStates(http);
        new ClickHouseChatReferences(http).completeExisting(chatTablesAreNew, System.currentTimeMillis());
        return new ClickHouseStore(config, http);
    }

    /** The duplicate lookup reads {@code event_ids}: a database of the last release gets its stored ids there once. */
    private static void recordExistingIds(ClickHouseHttp http) {
        if (http.query("SELECT count() AS n FROM " + ClickHouseSchema.EVENT_IDS).get(0).longValue("n") == 0
                && http.query("SELECT count() AS n FROM events").get(0).longValue("n") > 0) {
            http.executeUpgrade("INSERT INTO " + ClickHouseSchema.EVENT_IDS + " (tenant_id, id_hash, id, type, time_ms, revision)"
                    + " SELECT tenant_id, id_hash, id, type, time_ms, revision FROM " + ClickHouseSchema.rows(RawTable.EVENTS)
                    + "1 = 1");
        }
    }

    /** The call-state lookup reads {@code call_states}: a database of the last release gets its calls' states there once. */
    private static void recordExistingCallStates(ClickHouseHttp http) {
        if (http.query("SELECT count() AS n FROM " + ClickHouseSchema.CALL_STATES).get(0).longValue("n") == 0
                && http.query("SELECT count() AS n FROM calls").get(0).longValue("n") > 0) {
            http.executeUpgrade("INSERT INTO " + ClickHouseSchema.CALL_STATES + " (tenant_id, id_hash, id, time_ms, landed,"
                    + " status, version, revision) SELECT tenant_id, id_hash, id, time_ms, toUInt8(1), status, version,"
                    + " revision FROM " + ClickHouseSchema.rows(RawTable.CALLS) + "1 = 1");
        }
    }

    /**
     * Settings sent with every request. {@code insert_distributed_sync}: an insert into a
     * Distributed table returns only once every shard has its rows (the default queues them on the
     * node and answers at once, which would acknowledge events not yet stored).
     * {@code distributed_product_mode=local}: a subquery over a Distributed table inside a query
     * over one runs on each shard against its own data, which is right because a tenant's rows
     * are all on one shard.
     */
    static Map<String, String> settings(ClickHouseConfig config, boolean withDatabase) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (withDatabase) {
            settings.put("database", config.database());
        }
        settings.put("output_format_json_quote_64bit_integers", "1");
        settings.put("max_query_size", String.valueOf(32 * 1024 * 1024));
        if (config.clustered()) {
            settings.put("insert_distributed_sync", "1");
            settings.put("distributed_product_mode", "local");
        }
        return settings;
    }

    public EventStore events() {
        return events;
    }

    public MetadataStore metadata() {
        return metadata;
    }

    public String location() {
        return config.describe();
    }
}
