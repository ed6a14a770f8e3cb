package dev.tally.store.clickhouse;

import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.EventColumn;
import dev.tally.store.sql.EventColumns;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the schema at start; every statement is {@code IF NOT EXISTS}, so starting against an
 * existing database is the same path as creating one, and a column added to {@code EventColumns}
 * later is added to existing tables.
 *
 * <p>Layout on a cluster: each table is a per-shard table {@code <name>_local} and a Distributed
 * table {@code <name>} over it, sharded by {@code cityHash64(tenant_id)} so a tenant's rows (and
 * so every duplicate of one of its events) live on one shard, where a ReplacingMergeTree can
 * collapse them. Reports and writes only ever name the Distributed tables. Without a cluster the
 * tables are plain tables under the same names.
 *
 * <p>Schema statements run {@code ON CLUSTER} when a cluster is configured; a server without
 * ZooKeeper cannot run distributed DDL, and then the same statements are run on every configured
 * endpoint instead (which must then list every node).
 */
final class ClickHouseSchema {
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseSchema.class);
    /** The months of {@code time_ms}, in UTC whatever the server's time zone. */
    static final String EVENT_IDS = "event_ids";
    static final String CALL_STATES = "call_states";
    /** The {@code Rollups.VERSION} the rollup rows were built under. */
    static final String ROLLUP_VERSION = "rollup_version";
    /** Where {@code calls} of the last layout (ordered by id) stay after their rows were copied to the new one. */
    static final String CALLS_BEFORE_TIME_ORDER = "calls_before_time_order";
    private static final String CALLS_NEXT = "calls_next";
    /** Columns of {@code call_states} since revisions, added to a database of the last release. */
    private static final String CALL_STATES_ADDED = ", revision Int64";
    /** Columns of {@code event_ids} since revisions: its rows of the last release read them empty. */
    private static final String EVENT_IDS_ADDED = "type String, time_ms Int64, revision Int64";
    /** Rows that are not tombstones; in the WHERE of the SELECT that says {@code FINAL} (see {@link #rows}). */
    static final String LIVE = "deleted = 0";
    /** Where {@code events} of the last release (no version, no tombstones) stay after their rows were copied. */
    static final String EVENTS_BEFORE_REVISIONS = "events_before_revisions";
    private static final String EVENTS_NEXT = "events_next";
    static final String MONTH_OF_TIME = "toYYYYMM(toDateTime(intDiv(time_ms, 1000), 'UTC'))";

    private final ClickHouseHttp http;
    private final ClickHouseConfig config;
    /** Set once a statement {@code ON CLUSTER} was refused: the rest go to each endpoint at once. */
    private boolean withoutDistributedDdl;

    ClickHouseSchema(ClickHouseHttp http, ClickHouseConfig config) {
        this.http = http;
        this.config = config;
    }

    void migrate() {
        List<String> statements = new ArrayList<>();
        statements.add("CREATE DATABASE IF NOT EXISTS " + config.database() + onCluster());
        run(statements);
        statements.clear();
        orderCallsByTime();
        versionEvents();
        events(statements, "events");
        calls(statements, "calls");
        // A call's states by the id's hash: the planner's lookup reads the granules of the batch's calls, and
        // learns every start time the call was ever written at, so a moved call leaves no live row behind.
        table(statements, CALL_STATES, "tenant_id String, id_hash Int64, id String, time_ms Int64, landed UInt8,"
                + " status String, version UInt64" + CALL_STATES_ADDED, "ReplacingMergeTree", "version",
                "ORDER BY (tenant_id, id_hash, id, time_ms, landed) SETTINGS index_granularity = 256",
                "cityHash64(tenant_id)");
        // Event ids by their hash: the duplicate lookup reads the granules of the batch's hashes, not the tenant's every id.
        table(statements, EVENT_IDS, ClickHouseEventIds.COLUMNS, "ReplacingMergeTree", null,
                "ORDER BY (tenant_id, id_hash, id) SETTINGS index_granularity = 256", "cityHash64(tenant_id)");
        view(statements, ClickHouseEventIds.VIEW, EVENT_IDS, "events", ClickHouseEventIds::recorded);
        // What each instance is about to write, for the others' in-memory sets of stored ids; dropped by day.
        table(statements, ClickHouseKnownIds.ANNOUNCEMENTS, ClickHouseKnownIds.COLUMNS, "MergeTree", null,
                ClickHouseKnownIds.LAYOUT, "rand()");
        table(statements, "tenants", """
                id String, name String, created_ms Int64, max_concurrent_calls Nullable(Int32),
                instructions Nullable(String), store_sms_bodies UInt8, retention_days Nullable(Int32),
                version UInt64""",
                "ReplacingMergeTree", "version", "ORDER BY id", "cityHash64(id)");
        for (String claims : List.of(ClickHouseMetadataStore.CLAIMS, ClickHouseWebhookOutbox.CLAIMS)) {
            table(statements, claims, ClickHouseClaims.COLUMNS, "MergeTree", null, "ORDER BY (id, claimed_us, token)",
                    "cityHash64(id)");
        }
        table(statements, "api_keys", """
                id String, tenant_id Nullable(String), name String, scopes String, secret_hash String, prefix String,
                member_id Nullable(String), created_ms Int64, expires_ms Int64, revoked_ms Nullable(Int64),
                version UInt64""",
                "ReplacingMergeTree", "version", "ORDER BY id", "cityHash64(id)");
        // Prices as decimal text: exact, and no dependence on the Decimal type (experimental in 18.x).
        table(statements, "price_entries", """
                id String, tenant_id Nullable(String), provider String, model String, effective_from String,
                input_per_million Nullable(String), cached_input_per_million Nullable(String),
                cache_creation_per_million Nullable(String), output_per_million Nullable(String),
                input_audio_per_million Nullable(String), output_audio_per_million Nullable(String),
                credit_multiplier String, deleted UInt8, version UInt64""",
                "ReplacingMergeTree", "version", "ORDER BY id", "cityHash64(id)");
        table(statements, ClickHouseIntegrationSecrets.TABLE, ClickHouseIntegrationSecrets.COLUMNS,
                "ReplacingMergeTree", "version", "ORDER BY (tenant_id, provider)", "cityHash64(tenant_id)");
        table(statements, ClickHouseBudgets.TABLE, ClickHouseBudgets.COLUMNS, "ReplacingMergeTree", "version",
                "ORDER BY id", "cityHash64(id)");
        table(statements, ClickHouseTenantLimits.TABLE, ClickHouseTenantLimits.COLUMNS, "ReplacingMergeTree", "version",
                "ORDER BY tenant_id", "cityHash64(tenant_id)");
        table(statements, ClickHouseErasures.TABLE, ClickHouseErasures.COLUMNS, "ReplacingMergeTree", "version",
                "ORDER BY id", "cityHash64(id)");
        // erased subjects by tenant, read whole at start; a row only once the subject is erased everywhere
        table(statements, ClickHouseErasure.TABLE, ClickHouseErasure.COLUMNS, "MergeTree", null,
                "ORDER BY (tenant_id, pseudonym)", "cityHash64(tenant_id)");
        table(statements, ClickHouseErasures.KEYS, ClickHouseErasures.KEY_COLUMNS, "MergeTree", null,
                "ORDER BY (tenant_id, created_us, secret)", "cityHash64(tenant_id)");
        table(statements, ClickHouseWebhooks.TABLE, ClickHouseWebhooks.COLUMNS, "ReplacingMergeTree", "version",
                "ORDER BY id", "cityHash64(id)");
        // The outbox: a notification once, a delivery's latest state by version, every attempt; never deleted.
        table(statements, ClickHouseWebhookOutbox.NOTIFICATIONS, ClickHouseWebhookOutbox.NOTIFICATION_COLUMNS,
                "MergeTree", null, "ORDER BY (budget_id, period_start_ms, notification_key)", "cityHash64(budget_id)");
        table(statements, ClickHouseWebhookOutbox.DELIVERIES, ClickHouseWebhookOutbox.DELIVERY_COLUMNS,
                "ReplacingMergeTree", "version", "ORDER BY id", "cityHash64(id)");
        table(statements, ClickHouseWebhookOutbox.ATTEMPTS, ClickHouseWebhookOutbox.ATTEMPT_COLUMNS, "MergeTree", null,
                "ORDER BY (delivery_id, number)", "cityHash64(delivery_id)");
        for (RollupTable table : ClickHouseRollups.storedTables()) {
            table(statements, table.name(), ClickHouseRollups.columns(table), "MergeTree", null,
                    "PARTITION BY toYYYYMM(toDateTime(hour * 3600, 'UTC')) ORDER BY (tenant_id, hour, generation)",
                    "cityHash64(tenant_id)");
        }
        for (RollupTable table : ClickHouseRollups.storedTables()) {
            table(statements, ClickHouseDays.table(table), ClickHouseRollups.columns(table).replace("hour Int64", "day Int64"),
                    "MergeTree", null, "PARTITION BY toYYYYMM(toDateTime(day * 86400, 'UTC')) ORDER BY (tenant_id, day, generation)",
                    "cityHash64(tenant_id)");
        }
        table(statements, ClickHouseDays.DAYS, "tenant_id String, day Int64, generation Int64, digest Int64, version UInt64",
                "ReplacingMergeTree", "version", "ORDER BY (tenant_id, day)", "cityHash64(tenant_id)");
        table(statements, ClickHouseMemberUsage.TABLE, ClickHouseMemberUsage.COLUMNS, "MergeTree", null,
                "PARTITION BY toYYYYMM(toDateTime(hour * 3600, 'UTC')) " + ClickHouseMemberUsage.ORDER,
                "cityHash64(tenant_id)");
        // Chat owners and the hours referencing each chat, by chat id: a batch's lookup reads the granules of its keys.
        table(statements, ClickHouseChatReferences.OWNERS, "tenant_id String, chat_id String, owner_id String,"
                + " revision Int64",
                "ReplacingMergeTree", null, "ORDER BY (tenant_id, chat_id, owner_id)" + ClickHouseChatReferences.KEYED,
                "cityHash64(tenant_id)");
        view(statements, ClickHouseChatReferences.OWNERS_VIEW, ClickHouseChatReferences.OWNERS, "events",
                ClickHouseChatReferences::ownersView);
        Set<String> existing = existingColumns();
        boolean callPartsNew = !existing.contains(
                (config.clustered() ? localName(ClickHouseCallParts.TABLE) : ClickHouseCallParts.TABLE) + ".tenant_id");
        boolean callPartSumsNew = !existing.contains((config.clustered() ? localName(ClickHouseCallPartSums.TABLE)
                : ClickHouseCallPartSums.TABLE) + ".tenant_id");
        table(statements, ClickHouseCallPartSums.TABLE, ClickHouseCallPartSums.COLUMNS, "MergeTree", null,
                "PARTITION BY toYYYYMM(toDateTime(hour * 3600, 'UTC')) " + ClickHouseCallPartSums.ORDER,
                "cityHash64(tenant_id)");
        boolean callCostRowsNew = !existing.contains((config.clustered() ? localName(ClickHouseCallCostRows.TABLE)
                : ClickHouseCallCostRows.TABLE) + ".tenant_id");
        table(statements, ClickHouseCallCostRows.TABLE, ClickHouseCallCostRows.COLUMNS, "MergeTree", null,
                "PARTITION BY toYYYYMM(toDateTime(hour * 3600, 'UTC')) " + ClickHouseCallCostRows.LIST_ORDER,
                "cityHash64(tenant_id)");
        if (callCostRowsNew) {
            // the last release's rows per call, read by nothing now: gone, and with them the call ids they held
            statements.add("DROP TABLE IF EXISTS " + qualified(ClickHouseCallCostRows.FORMER_TABLE) + onCluster());
            if (config.clustered()) {
                statements.add("DROP TABLE IF EXISTS " + qualified(localName(ClickHouseCallCostRows.FORMER_TABLE))
                        + onCluster());
            }
        }
        boolean callCostDaysNew = false;
        for (String name : List.of(ClickHouseCallCostDays.TABLE, ClickHouseCallCostDays.SUMS)) {
            callCostDaysNew |= !existing.contains((config.clustered() ? localName(name) : name) + ".tenant_id");
        }
        table(statements, ClickHouseCallCostDays.TABLE, ClickHouseCallCostDays.COLUMNS, "MergeTree", null,
                "PARTITION BY toYYYYMM(toDateTime(day * 86400, 'UTC')) " + ClickHouseCallCostDays.ORDER,
                "cityHash64(tenant_id)");
        table(statements, ClickHouseCallCostDays.SUMS, ClickHouseCallCostDays.SUM_COLUMNS, "MergeTree", null,
                "PARTITION BY toYYYYMM(toDateTime(day * 86400, 'UTC')) " + ClickHouseCallCostDays.SUM_ORDER,
                "cityHash64(tenant_id)");
        if (callCostDaysNew) {
            // days recorded by the last release have no call costs kept: forgotten, each is built again from its hours
            statements.add("TRUNCATE TABLE " + qualified(config.clustered() ? localName(ClickHouseDays.DAYS)
                    : ClickHouseDays.DAYS) + onCluster());
        }
        table(statements, ClickHouseCallCostRows.HOUR_SUMS, ClickHouseCallCostRows.SUM_COLUMNS, "MergeTree", null,
                "PARTITION BY toYYYYMM(toDateTime(hour * 3600, 'UTC')) " + ClickHouseCallCostRows.ORDER,
                "cityHash64(tenant_id)");
        table(statements, ClickHouseCallParts.TABLE, ClickHouseCallParts.COLUMNS, "ReplacingMergeTree", null,
                ClickHouseCallParts.LAYOUT, "cityHash64(tenant_id)");
        view(statements, ClickHouseCallParts.VIEW, ClickHouseCallParts.TABLE, "events", ClickHouseCallParts::hoursOf);
        table(statements, ClickHouseChatReferences.REFERENCES, "tenant_id String, chat_id String, hour Int64",
                "ReplacingMergeTree", null, "ORDER BY (tenant_id, chat_id, hour)" + ClickHouseChatReferences.KEYED,
                "cityHash64(tenant_id)");
        table(statements, ClickHouseRollups.MARKS, "tenant_id String, hour Int64, marked_ms UInt64",
                "ReplacingMergeTree", "marked_ms", "ORDER BY (tenant_id, hour)", "cityHash64(tenant_id)");
        table(statements, ClickHouseRollups.HOURS,
                "tenant_id String, hour Int64, covered_ms UInt64, generation Int64, version UInt64",
                "ReplacingMergeTree", "version", "ORDER BY (tenant_id, hour)", "cityHash64(tenant_id)");
        table(statements, ClickHouseKeptFrom.TABLE, ClickHouseKeptFrom.COLUMNS, "ReplacingMergeTree", "from_ms",
                "ORDER BY tenant_id", "cityHash64(tenant_id)");
        table(statements, ROLLUP_VERSION, "version Int64, set_ms UInt64", "MergeTree", null, "ORDER BY version",
                "version");
        run(statements);
        run(missingColumns());
        if (callPartsNew) {
            // a database made before the view: its stored parts' hours, once (the view adds those stored from now on)
            http.executeUpgrade("INSERT INTO " + qualified(ClickHouseCallParts.TABLE) + " "
                    + ClickHouseCallParts.hoursOf(qualified("events")));
        }
        if (callCostRowsNew) {
            // hours recorded by the last release have no call rows: marked now, their calls are derived from raw
            // rows until the worker has recomputed them
            http.executeUpgrade("INSERT INTO " + qualified(ClickHouseRollups.MARKS) + " SELECT tenant_id, intDiv(time_ms, "
                    + 3_600_000L + ") AS hour, toUInt64(" + System.currentTimeMillis() + ") FROM " + qualified("calls")
                    + " GROUP BY tenant_id, hour");
        }
        if (callPartSumsNew) {
            // hours recorded by the last release have no rows here: marked now, they are read from raw rows
            // until the worker has recomputed them, this table's rows with the rest
            http.executeUpgrade("INSERT INTO " + qualified(ClickHouseRollups.MARKS) + " SELECT tenant_id, hour, toUInt64("
                    + System.currentTimeMillis() + ") FROM (" + ClickHouseCallParts.hoursOf(qualified("events"))
                    + ") AS part_hours GROUP BY tenant_id, hour");
        }
        forgetRollupsOfOtherDefinitions();
    }

    /**
     * Events: the sorting key serves the reports' filters (tenant, type, time) and, ending in id, is
     * also the replacing key: a replayed event is the same (tenant, type, time, id) and collapses.
     * The version is the event's revision, so a correction at the same time replaces the row it
     * corrects, and one that moves the event covers the row at its former time with a tombstone
     * ({@code deleted = 1}) of its own revision: a later revision back at that time is higher still.
     */
    private void events(List<String> statements, String name) {
        table(statements, name, eventColumns(true) + ", deleted UInt8", "ReplacingMergeTree", "version",
                "PARTITION BY " + MONTH_OF_TIME + " ORDER BY (tenant_id, type, time_ms, id)", "cityHash64(tenant_id)");
    }

    /**
     * Calls: one live row per call, ordered by time like events, so a report or a recomputation of
     * some hours reads those hours' granules and not the tenant's every call. The row's key holds
     * its start time, so a later state with another start time is a new row: the state written
     * over it at the old time is a tombstone ({@code deleted = 1}) of a higher version, and every
     * read leaves tombstones out after {@code FINAL} has collapsed each key to its newest row
     * ({@link #rows}).
     */
    private void calls(List<String> statements, String name) {
        table(statements, name, eventColumns(true) + ", deleted UInt8", "ReplacingMergeTree", "version",
                "PARTITION BY " + MONTH_OF_TIME + " ORDER BY (tenant_id, time_ms, id)", "cityHash64(tenant_id)");
    }

    /**
     * The current rows of a raw table, as {@code ReportStore.rows} hands them out. The condition
     * must stay in {@code WHERE}: ClickHouse applies it after {@code FINAL} has merged the rows of a
     * key, whereas {@code PREWHERE}, or a filter inside a subquery, would drop a tombstone before
     * it could hide the row it replaces.
     */
    static String rows(RawTable table) {
        return switch (table) {
            case EVENTS -> "events FINAL WHERE " + LIVE + " AND ";
            case CALLS -> "calls FINAL WHERE " + LIVE + " AND ";
        };
    }

    /**
     * A database of the last release keeps calls ordered by id, which no time filter can narrow: its
     * current states are copied into a table of the new layout, which then takes the name. Run
     * before anything else, so the statements below find the new layout in place.
     */
    private void orderCallsByTime() {
        Set<String> columns = existingColumns();
        String stored = config.clustered() ? localName("calls") : "calls";
        if (!columns.contains(stored + ".id") || columns.contains(stored + ".deleted")) {
            return;
        }
        LOG.atInfo().log("ClickHouse: ordering calls by time (a database of the last release)");
        List<String> statements = new ArrayList<>();
        statements.add("DROP TABLE IF EXISTS " + qualified(CALLS_NEXT) + onCluster());
        if (config.clustered()) {
            statements.add("DROP TABLE IF EXISTS " + qualified(localName(CALLS_NEXT)) + onCluster());
        }
        calls(statements, CALLS_NEXT);
        run(statements);
        String columnList = EventColumns.ALL.stream().map(EventColumn::name).collect(Collectors.joining(", "));
        http.executeUpgrade("INSERT INTO " + qualified(CALLS_NEXT) + " (" + columnList + ", version, deleted) SELECT "
                + columnList + ", version, 0 FROM " + qualified("calls") + " FINAL");
        swapIn("calls", CALLS_NEXT, CALLS_BEFORE_TIME_ORDER, List.of("deleted UInt8"));
    }

    /**
     * Gives a copied table the name of the one it replaces, which stays under {@code before}. On a
     * cluster the per-shard tables are renamed: the Distributed table reads its per-shard table by
     * name, so it stays and only gets the columns the new layout added.
     */
    private void swapIn(String name, String next, String before, List<String> addedColumns) {
        List<String> swap = new ArrayList<>();
        String suffix = config.clustered() ? "_local" : "";
        swap.add("RENAME TABLE " + qualified(name + suffix) + " TO " + qualified(before + suffix)
                + ", " + qualified(next + suffix) + " TO " + qualified(name + suffix) + onCluster());
        if (config.clustered()) {
            swap.add("DROP TABLE " + qualified(next) + onCluster());
            for (String column : addedColumns) {
                swap.add("ALTER TABLE " + qualified(name) + onCluster() + " ADD COLUMN " + column);
            }
        }
        run(swap);
    }

    /**
     * A database of the last release keeps events in a ReplacingMergeTree without a version, where
     * no correction could be sure to win nor a moved event be covered: its rows are copied into a
     * table of the new layout (version = revision, no tombstones), which then takes the name, like
     * {@link #orderCallsByTime}. The chat owners view reads {@code events} by name, so it is dropped
     * first and made again by the statements that follow, with the revision its owners now carry.
     */
    private void versionEvents() {
        Set<String> columns = existingColumns();
        String stored = config.clustered() ? localName("events") : "events";
        String owners = config.clustered() ? localName(ClickHouseChatReferences.OWNERS) : ClickHouseChatReferences.OWNERS;
        List<String> statements = new ArrayList<>();
        if (columns.contains(owners + ".tenant_id") && !columns.contains(owners + ".revision")) {
            statements.add("DROP TABLE IF EXISTS " + qualified(ClickHouseChatReferences.OWNERS_VIEW) + onCluster());
            for (String table : config.clustered() ? List.of(owners, ClickHouseChatReferences.OWNERS) : List.of(owners)) {
                statements.add("ALTER TABLE " + qualified(table) + onCluster() + " ADD COLUMN revision Int64");
            }
        }
        if (!columns.contains(stored + ".id") || columns.contains(stored + ".deleted")) {
            run(statements);
            return;
        }
        LOG.atInfo().log("ClickHouse: giving events a version for late corrections (a database of the last release)");
        statements.add("DROP TABLE IF EXISTS " + qualified(ClickHouseChatReferences.OWNERS_VIEW) + onCluster());
        statements.add("DROP TABLE IF EXISTS " + qualified(ClickHouseEventIds.VIEW) + onCluster());
        statements.add("DROP TABLE IF EXISTS " + qualified(EVENTS_NEXT) + onCluster());
        if (config.clustered()) {
            statements.add("DROP TABLE IF EXISTS " + qualified(localName(EVENTS_NEXT)) + onCluster());
        }
        events(statements, EVENTS_NEXT);
        run(statements);
        // the columns the old table has; any added since read their defaults
        List<String> copied = EventColumns.ALL.stream().map(EventColumn::name)
                .filter(name -> columns.contains(stored + "." + name)).toList();
        String columnList = String.join(", ", copied);
        String version = copied.contains("revision") ? "toUInt64(revision)" : "toUInt64(0)";
        http.executeUpgrade("INSERT INTO " + qualified(EVENTS_NEXT) + " (" + columnList + ", version, deleted) SELECT "
                + columnList + ", " + version + ", 0 FROM " + qualified("events") + " FINAL");
        swapIn("events", EVENTS_NEXT, EVENTS_BEFORE_REVISIONS, List.of("version UInt64", "deleted UInt8"));
    }

    /** The per-shard table and the Distributed table over it, or one plain table without a cluster. */
    private void table(List<String> statements, String name, String columns, String engine, String version,
                       String layout, String shardingKey) {
        String storage = config.replicated()
                ? "Replicated" + engine + "('/clickhouse/tables/{shard}/" + config.database() + "/" + name
                        + "', '{replica}'" + (version == null ? "" : ", " + version) + ")"
                : engine + "(" + (version == null ? "" : version) + ")";
        if (!config.clustered()) {
            statements.add("CREATE TABLE IF NOT EXISTS " + qualified(name) + " (" + columns + ") ENGINE = " + storage
                    + " " + layout);
            return;
        }
        statements.add("CREATE TABLE IF NOT EXISTS " + qualified(localName(name)) + onCluster() + " (" + columns
                + ") ENGINE = " + storage + " " + layout);
        statements.add("CREATE TABLE IF NOT EXISTS " + qualified(name) + onCluster() + " AS "
                + qualified(localName(name)) + " ENGINE = Distributed(" + config.cluster() + ", " + config.database()
                + ", " + localName(name) + ", " + shardingKey + ")");
    }

    /**
     * A materialized view filling {@code target} from every insert into {@code source}: on a cluster
     * from each shard's per-shard table into its own, as both are sharded by tenant.
     */
    private void view(List<String> statements, String name, String target, String source,
                      UnaryOperator<String> select) {
        boolean local = config.clustered();
        statements.add("CREATE MATERIALIZED VIEW IF NOT EXISTS " + qualified(name) + onCluster() + " TO "
                + qualified(local ? localName(target) : target) + " AS "
                + select.apply(qualified(local ? localName(source) : source)));
    }

    /**
     * The price columns added since version 1 (the other units' rates, the long-context tier, a
     * call's number prefix, the price's source), rates as decimal text like the rest.
     */
    private static final List<String> ADDED_PRICE_COLUMNS = addedPriceColumns();

    private static List<String> addedPriceColumns() {
        List<String> columns = new ArrayList<>(dev.tally.pricing.PriceUnit.addedRates());
        columns.add("prefix");
        columns.add("source");
        return List.copyOf(columns);
    }

    /**
     * Columns added to EventColumns, and to price_entries, after a database was created: nothing on a
     * new one, which gets them here too.
     */
    private List<String> missingColumns() {
        Set<String> existing = existingColumns();
        List<String> statements = new ArrayList<>();
        List<String> priceTables = config.clustered() ? List.of(localName("price_entries"), "price_entries")
                : List.of("price_entries");
        for (String table : priceTables) {
            for (String column : ADDED_PRICE_COLUMNS) {
                if (!existing.contains(table + "." + column)) {
                    statements.add("ALTER TABLE " + qualified(table) + onCluster() + " ADD COLUMN " + column
                            + " Nullable(String)");
                }
            }
        }
        for (String table : config.clustered() ? List.of(localName("tenants"), "tenants") : List.of("tenants")) {
            if (!existing.contains(table + ".retention_days")) {
                // before version, as a new table has it: the Distributed table and its local tables must agree
                statements.add("ALTER TABLE " + qualified(table) + onCluster()
                        + " ADD COLUMN retention_days Nullable(Int32) AFTER store_sms_bodies");
            }
        }
        for (String name : List.of("events", "calls")) {
            List<String> tables = config.clustered() ? List.of(localName(name), name) : List.of(name);
            for (String table : tables) {
                for (EventColumn column : EventColumns.ALL) {
                    if (!existing.contains(table + "." + column.name())) {
                        statements.add("ALTER TABLE " + qualified(table) + onCluster() + " ADD COLUMN "
                                + columnDefinition(column));
                    }
                }
            }
        }
        for (String[] added : List.of(new String[] {CALL_STATES, CALL_STATES_ADDED.substring(2)},
                new String[] {EVENT_IDS, EVENT_IDS_ADDED})) {
            List<String> tables = config.clustered() ? List.of(localName(added[0]), added[0]) : List.of(added[0]);
            for (String table : tables) {
                for (String column : added[1].split(", ")) {
                    if (!existing.contains(table + "." + column.substring(0, column.indexOf(' ')))) {
                        statements.add("ALTER TABLE " + qualified(table) + onCluster() + " ADD COLUMN " + column);
                    }
                }
            }
        }
        // a measure added to a rollup table since: its rows are rebuilt (forgetRollupsOfOtherDefinitions)
        for (RollupTable rollup : ClickHouseRollups.storedTables()) {
            for (String name : List.of(rollup.name(), ClickHouseDays.table(rollup))) {
                List<String> tables = config.clustered() ? List.of(localName(name), name) : List.of(name);
                for (String table : tables) {
                    String columns = ClickHouseRollups.columns(rollup);
                    if (!name.equals(rollup.name())) {
                        columns = columns.replace("hour Int64", "day Int64");
                    }
                    for (String column : columns.split(", ")) {
                        if (!existing.contains(table + "." + column.substring(0, column.indexOf(' ')))) {
                            statements.add("ALTER TABLE " + qualified(table) + onCluster() + " ADD COLUMN " + column);
                        }
                    }
                }
            }
        }
        return statements;
    }

    /**
     * Rollup rows built under other definitions ({@code Rollups.VERSION}: a measure added, a key
     * changed) are not read again: the records of every hour and day are dropped, so each hour
     * that holds rows reads its raw rows (its marks are newer than any record) until the worker
     * has recomputed it under the definitions of this release.
     */
    private void forgetRollupsOfOtherDefinitions() {
        long stored = http.query("SELECT toInt64(max(version)) AS version FROM " + qualified(ROLLUP_VERSION)).get(0)
                .longValue("version");
        if (stored == Rollups.VERSION) {
            return;
        }
        if (http.query("SELECT count() AS n FROM " + qualified(ClickHouseRollups.HOURS)).get(0).longValue("n") > 0) {
            LOG.atInfo().addKeyValue("from", stored).addKeyValue("to", Rollups.VERSION)
                    .log("ClickHouse: rollup definitions changed; every hour is read raw until recomputed");
            if (http.query("SELECT count() AS n FROM " + qualified(ClickHouseKeptFrom.TABLE)).get(0).longValue("n") > 0) {
                LOG.atWarn().log("ClickHouse: retention deleted raw events; the totals of the hours before each"
                        + " tenant's horizon were only in the rollups dropped now, and are lost");
            }
            List<String> statements = new ArrayList<>();
            for (String table : List.of(ClickHouseRollups.HOURS, ClickHouseDays.DAYS)) {
                statements.add("TRUNCATE TABLE " + qualified(config.clustered() ? localName(table) : table)
                        + onCluster());
            }
            run(statements);
        }
        http.execute("INSERT INTO " + qualified(ROLLUP_VERSION) + " VALUES (" + Rollups.VERSION + ", "
                + System.currentTimeMillis() + ")");
    }

    private Set<String> existingColumns() {
        Set<String> existing = new HashSet<>();
        for (Row row : http.query("SELECT table, name FROM system.columns WHERE database = "
                + ClickHouseLiterals.string(config.database()))) {
            existing.add(row.string("table") + "." + row.string("name"));
        }
        return existing;
    }

    private void run(List<String> statements) {
        if (!config.clustered()) {
            statements.forEach(http::execute);
            return;
        }
        if (withoutDistributedDdl) {
            runOnEachEndpoint(statements);
            return;
        }
        try {
            statements.forEach(http::execute);
        } catch (ClickHouseException failure) {
            if (!failure.getMessage().contains("DDL background thread is not initialized")
                    && !failure.getMessage().contains("ZooKeeper")) {
                throw failure;
            }
            LOG.atWarn().addKeyValue("endpoints", http.endpoints().size())
                    .log("ClickHouse has no distributed DDL (no ZooKeeper): creating the schema on each endpoint");
            withoutDistributedDdl = true;
            runOnEachEndpoint(statements);
        }
    }

    private void runOnEachEndpoint(List<String> statements) {
        for (URI endpoint : http.endpoints()) {
            for (String statement : statements) {
                http.executeOn(endpoint, statement.replace(onCluster(), ""));
            }
        }
    }

    private String onCluster() {
        return config.clustered() ? " ON CLUSTER " + config.cluster() : "";
    }

    private String qualified(String table) {
        return config.database() + "." + table;
    }

    static String localName(String table) {
        return table + "_local";
    }

    static String eventColumns(boolean withVersion) {
        String columns = EventColumns.ALL.stream().map(ClickHouseSchema::columnDefinition)
                .collect(Collectors.joining(", "));
        return withVersion ? columns + ", version UInt64" : columns;
    }

    private static String columnDefinition(EventColumn column) {
        String type = switch (column.kind()) {
            case STRING -> "String";
            case LONG -> "Int64";
            case INTEGER -> "Int32";
        };
        return column.name() + " " + (column.nullable() ? "Nullable(" + type + ")" : type);
    }
}
