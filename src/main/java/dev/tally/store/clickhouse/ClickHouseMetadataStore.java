package dev.tally.store.clickhouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.auth.ApiKey;
import dev.tally.auth.Scope;
import dev.tally.pricing.PriceEntry;
import dev.tally.store.MetadataStore;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.tenant.Budget;
import dev.tally.tenant.IntegrationProvider;
import dev.tally.tenant.IntegrationSecret;
import dev.tally.tenant.Tenant;
import dev.tally.tenant.Webhook;
import dev.tally.tenant.WebhookAttempt;
import dev.tally.tenant.WebhookDelivery;
import dev.tally.tenant.WebhookNotification;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Tenants, keys and operator prices in ClickHouse, so every Tally instance sees the same ones.
 * They are few and rarely written; each is a ReplacingMergeTree keyed by id, a change is a new
 * row with a higher version ({@link Versions}), and every read says {@code FINAL}, so it sees only
 * the latest row of each id. A deleted price is a row flagged deleted.
 *
 * <p>Without transactions, "create if absent" cannot be check-then-insert: two instances creating
 * the same tenant id at once would both succeed. So a creation first claims the id in
 * {@code tenant_claims} ({@link ClickHouseClaims}) and creates the tenant only if it won; the
 * others answer "exists".
 */
final class ClickHouseMetadataStore implements MetadataStore {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TENANT_COLUMNS =
            "id, name, created_ms, max_concurrent_calls, instructions, store_sms_bodies, retention_days, version";
    private static final String KEY_COLUMNS = "id, tenant_id, name, scopes, secret_hash, prefix, member_id,"
            + " created_ms, expires_ms, revoked_ms, version";
    private static final String PRICE_COLUMNS = "id, tenant_id, provider, model, effective_from, prefix, "
            + String.join(", ", PriceEntry.rateNames()) + ", source, deleted, version";

    static final String CLAIMS = "tenant_claims";

    private final ClickHouseHttp http;
    private final ClickHouseIntegrationSecrets integrationSecrets;
    private final ClickHouseBudgets budgets;
    private final ClickHouseErasures erasures;
    private final ClickHouseTenantLimits limits;
    private final ClickHouseClaims tenantClaims;
    private final ClickHouseWebhooks webhooks;
    private final ClickHouseWebhookOutbox outbox;

    ClickHouseMetadataStore(ClickHouseHttp http) {
        this.http = http;
        this.integrationSecrets = new ClickHouseIntegrationSecrets(http);
        this.budgets = new ClickHouseBudgets(http);
        this.erasures = new ClickHouseErasures(http);
        this.limits = new ClickHouseTenantLimits(http);
        this.tenantClaims = new ClickHouseClaims(http, CLAIMS);
        this.webhooks = new ClickHouseWebhooks(http);
        this.outbox = new ClickHouseWebhookOutbox(http);
    }

    @Override
    public void putIntegrationSecret(IntegrationSecret secret) {
        integrationSecrets.put(secret);
    }

    @Override
    public List<IntegrationSecret> integrationSecrets(String tenantId) {
        return integrationSecrets.list(tenantId);
    }

    @Override
    public boolean deleteIntegrationSecret(String tenantId, IntegrationProvider provider) {
        return integrationSecrets.remove(tenantId, provider);
    }

    private List<Row> select(SqlBuilder sql) {
        return http.query(ClickHouseLiterals.bind(sql.build()));
    }

    private void insert(String table, ObjectNode row) {
        try {
            http.insert(table, MAPPER.writeValueAsString(row));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    // tenants

    @Override
    public boolean createTenant(Tenant tenant) {
        if (tenantRow(tenant.id()).isPresent()) {
            return false;
        }
        if (!tenantClaims.claim(List.of(tenant.id())).contains(tenant.id()) || tenantRow(tenant.id()).isPresent()) {
            return false;
        }
        insert("tenants", tenantNode(tenant, Versions.after(0)));
        return true;
    }

    @Override
    public void updateTenant(Tenant tenant) {
        long replaced = tenantRow(tenant.id()).map(row -> row.longValue("version")).orElse(0L);
        insert("tenants", tenantNode(tenant, Versions.after(replaced)));
    }

    private static ObjectNode tenantNode(Tenant tenant, long version) {
        ObjectNode row = MAPPER.createObjectNode().put("id", tenant.id()).put("name", tenant.name())
                .put("created_ms", tenant.createdMs()).put("instructions", tenant.instructions())
                .put("store_sms_bodies", tenant.storeSmsBodies() ? 1 : 0).put("version", version);
        if (tenant.maxConcurrentCalls() == null) {
            row.putNull("max_concurrent_calls");
        } else {
            row.put("max_concurrent_calls", tenant.maxConcurrentCalls());
        }
        if (tenant.retentionDays() == null) {
            row.putNull("retention_days");
        } else {
            row.put("retention_days", tenant.retentionDays());
        }
        return row;
    }

    private Optional<Row> tenantRow(String id) {
        return select(new SqlBuilder().append("SELECT " + TENANT_COLUMNS + " FROM tenants FINAL WHERE id = ").value(id))
                .stream().findFirst();
    }

    @Override
    public Optional<Tenant> tenant(String id) {
        return tenantRow(id).map(ClickHouseMetadataStore::tenant);
    }

    @Override
    public List<Tenant> tenants() {
        return select(new SqlBuilder().append("SELECT " + TENANT_COLUMNS + " FROM tenants FINAL ORDER BY id"))
                .stream().map(ClickHouseMetadataStore::tenant).toList();
    }

    private static Tenant tenant(Row row) {
        Integer limit = row.get("max_concurrent_calls") == null ? null
                : Math.toIntExact(row.longValue("max_concurrent_calls"));
        Integer retentionDays = row.get("retention_days") == null ? null
                : Math.toIntExact(row.longValue("retention_days"));
        return new Tenant(row.string("id"), row.string("name"), row.longValue("created_ms"), limit,
                row.string("instructions"), row.longValue("store_sms_bodies") != 0, retentionDays);
    }

    // keys

    @Override
    public void insertKey(ApiKey key) {
        insert("api_keys", keyNode(key, Versions.after(0)));
    }

    private static ObjectNode keyNode(ApiKey key, long version) {
        return MAPPER.createObjectNode().put("id", key.id()).put("tenant_id", key.tenantId()).put("name", key.name())
                .put("scopes", key.scopes().stream().map(Scope::wireName).sorted().collect(Collectors.joining(",")))
                .put("secret_hash", key.secretHash()).put("prefix", key.prefix()).put("member_id", key.memberId())
                .put("created_ms", key.createdMs()).put("expires_ms", key.expiresMs())
                .put("revoked_ms", key.revokedMs()).put("version", version);
    }

    @Override
    public Optional<ApiKey> keyByHash(String secretHash) {
        return select(new SqlBuilder().append("SELECT " + KEY_COLUMNS + " FROM api_keys FINAL WHERE secret_hash = ")
                .value(secretHash)).stream().findFirst().map(ClickHouseMetadataStore::key);
    }

    @Override
    public List<ApiKey> keys() {
        return select(new SqlBuilder().append("SELECT " + KEY_COLUMNS + " FROM api_keys FINAL ORDER BY created_ms, id"))
                .stream().map(ClickHouseMetadataStore::key).toList();
    }

    @Override
    public boolean revokeKey(String id, long revokedMs) {
        List<Row> live = select(new SqlBuilder().append("SELECT " + KEY_COLUMNS + " FROM api_keys FINAL WHERE id = ")
                .value(id).append(" AND revoked_ms IS NULL"));
        if (live.isEmpty()) {
            return false;
        }
        ApiKey key = key(live.get(0));
        ApiKey revoked = new ApiKey(key.id(), key.tenantId(), key.name(), key.scopes(), key.secretHash(), key.prefix(),
                key.memberId(), key.createdMs(), key.expiresMs(), revokedMs);
        insert("api_keys", keyNode(revoked, Versions.after(live.get(0).longValue("version"))));
        return true;
    }

    private static ApiKey key(Row row) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : row.string("scopes").split(",")) {
            Scope.fromWire(name).ifPresent(scopes::add);
        }
        Long revokedMs = row.get("revoked_ms") == null ? null : row.longValue("revoked_ms");
        return new ApiKey(row.string("id"), row.string("tenant_id"), row.string("name"), scopes,
                row.string("secret_hash"), row.string("prefix"), row.string("member_id"), row.longValue("created_ms"),
                row.longValue("expires_ms"), revokedMs);
    }

    // prices

    @Override
    public List<PriceEntry> prices() {
        return select(new SqlBuilder().append("SELECT " + PRICE_COLUMNS
                + " FROM price_entries FINAL WHERE deleted = 0 ORDER BY provider, model, effective_from"))
                .stream().map(ClickHouseMetadataStore::price).toList();
    }

    @Override
    public void insertPrice(PriceEntry entry) {
        insert("price_entries", priceNode(entry, false, Versions.after(0)));
    }

    @Override
    public boolean deletePrice(String id) {
        List<Row> live = select(new SqlBuilder().append("SELECT " + PRICE_COLUMNS
                + " FROM price_entries FINAL WHERE id = ").value(id).append(" AND deleted = 0"));
        if (live.isEmpty()) {
            return false;
        }
        insert("price_entries", priceNode(price(live.get(0)), true, Versions.after(live.get(0).longValue("version"))));
        return true;
    }

    @Override
    public void replacePrices(List<String> retiredIds, List<PriceEntry> added) {
        for (String id : retiredIds) {
            deletePrice(id);
        }
        if (added.isEmpty()) {
            return;
        }
        StringBuilder rows = new StringBuilder();
        try {
            for (PriceEntry entry : added) {
                rows.append(MAPPER.writeValueAsString(priceNode(entry, false, Versions.after(0)))).append('\n');
            }
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
        http.insert("price_entries", rows.toString());
    }

    private static ObjectNode priceNode(PriceEntry entry, boolean deleted, long version) {
        ObjectNode node = MAPPER.createObjectNode().put("id", entry.id()).put("tenant_id", entry.tenantId())
                .put("provider", entry.provider()).put("model", entry.model())
                .put("effective_from", entry.effectiveFrom().toString()).put("prefix", entry.prefix())
                .put("source", entry.source());
        entry.rates().forEach((rate, value) -> node.put(rate, decimal(rate, value)));
        return node.put("deleted", deleted ? 1 : 0).put("version", version);
    }

    private static PriceEntry price(Row row) {
        Map<String, BigDecimal> rates = new HashMap<>();
        for (String rate : PriceEntry.rateNames()) {
            String text = row.string(rate);
            rates.put(rate, text == null || text.isEmpty() ? null : new BigDecimal(text));
        }
        return PriceEntry.of(row.string("id"), row.string("tenant_id"), row.string("provider"), row.string("model"),
                LocalDate.parse(row.string("effective_from")), row.string("prefix"), rates, row.string("source"));
    }

    /**
     * Decimal text; the credit multiplier's column, made by the first release when every entry
     * had one, is not Nullable, so an entry without one (any unit but tokens) is kept as "".
     */
    private static String decimal(String rate, BigDecimal value) {
        if (value == null) {
            return rate.equals(PriceEntry.CREDIT_MULTIPLIER) ? "" : null;
        }
        return value.toPlainString();
    }

    @Override
    public Optional<dev.tally.tenant.TenantLimits> tenantLimits(String tenantId) {
        return limits.of(tenantId);
    }

    @Override
    public void putTenantLimits(String tenantId, dev.tally.tenant.TenantLimits tenantLimits) {
        limits.put(tenantId, tenantLimits);
    }

    @Override
    public boolean deleteTenantLimits(String tenantId) {
        return limits.remove(tenantId);
    }

    @Override
    public void putErasure(dev.tally.tenant.Erasure erasure) {
        erasures.put(erasure);
    }

    @Override
    public java.util.Optional<dev.tally.tenant.Erasure> erasure(String id) {
        return erasures.byId(id);
    }

    @Override
    public List<dev.tally.tenant.Erasure> erasures(String tenantId) {
        return erasures.list(tenantId);
    }

    @Override
    public String pseudonymKey(String tenantId) {
        return erasures.key(tenantId);
    }

    @Override
    public void putBudget(Budget budget) {
        budgets.put(budget);
    }

    @Override
    public Optional<Budget> budget(String id) {
        return budgets.byId(id);
    }

    @Override
    public List<Budget> budgets(String tenantId) {
        return budgets.list(tenantId);
    }

    @Override
    public boolean deleteBudget(String id) {
        return budgets.remove(id);
    }

    @Override
    public void putWebhook(Webhook webhook) {
        webhooks.put(webhook);
    }

    @Override
    public Optional<Webhook> webhook(String id) {
        return webhooks.byId(id);
    }

    @Override
    public List<Webhook> webhooks() {
        return webhooks.list();
    }

    @Override
    public boolean deleteWebhook(String id) {
        return webhooks.remove(id);
    }

    @Override
    public boolean recordNotification(WebhookNotification notification, List<WebhookDelivery> deliveries) {
        return outbox.record(notification, deliveries);
    }

    @Override
    public List<WebhookNotification> notifications(String budgetId, long fromPeriodStartMs) {
        return outbox.notifications(budgetId, fromPeriodStartMs);
    }

    @Override
    public List<WebhookDelivery> dueDeliveries(long nowMs, int limit) {
        return outbox.due(nowMs, limit);
    }

    @Override
    public List<WebhookDelivery> deliveries(String webhookId, int limit) {
        return outbox.ofWebhook(webhookId, limit);
    }

    @Override
    public Optional<WebhookDelivery> delivery(String id) {
        return outbox.byId(id);
    }

    @Override
    public List<WebhookDelivery> claimAttempts(List<WebhookDelivery> due) {
        return outbox.claim(due);
    }

    @Override
    public void updateDelivery(WebhookDelivery delivery, WebhookAttempt attempt) {
        outbox.update(delivery, attempt);
    }

    @Override
    public List<WebhookAttempt> attempts(String deliveryId) {
        return outbox.attempts(deliveryId);
    }
}
