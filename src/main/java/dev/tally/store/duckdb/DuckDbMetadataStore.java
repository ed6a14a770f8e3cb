package dev.tally.store.duckdb;

import dev.tally.auth.ApiKey;
import dev.tally.auth.Scope;
import dev.tally.pricing.PriceEntry;
import dev.tally.store.MetadataStore;
import dev.tally.tenant.Budget;
import dev.tally.tenant.IntegrationProvider;
import dev.tally.tenant.IntegrationSecret;
import dev.tally.tenant.Tenant;
import dev.tally.tenant.Webhook;
import dev.tally.tenant.WebhookAttempt;
import dev.tally.tenant.WebhookDelivery;
import dev.tally.tenant.WebhookNotification;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Tenants and keys in the same DuckDB file as the events, written through plain JDBC: they are few. */
public final class DuckDbMetadataStore implements MetadataStore {
    private static final String TENANT_COLUMNS = "id, name, created_ms, max_concurrent_calls, instructions, store_sms_bodies,"
            + " retention_days";
    private static final String KEY_COLUMNS =
            "id, tenant_id, name, scopes, secret_hash, prefix, member_id, created_ms, expires_ms, revoked_ms";

    private final DuckDbDatabase database;
    private final DuckDbPrices prices;
    private final DuckDbIntegrationSecrets integrationSecrets;
    private final DuckDbBudgets budgets;
    private final DuckDbWebhooks webhooks;
    private final DuckDbWebhookOutbox outbox;
    private final DuckDbErasures erasures;
    private final DuckDbTenantLimits limits;

    public DuckDbMetadataStore(DuckDbDatabase database) {
        this.database = database;
        this.prices = new DuckDbPrices(database);
        this.integrationSecrets = new DuckDbIntegrationSecrets(database);
        this.budgets = new DuckDbBudgets(database);
        this.webhooks = new DuckDbWebhooks(database);
        this.outbox = new DuckDbWebhookOutbox(database);
        this.erasures = new DuckDbErasures(database);
        this.limits = new DuckDbTenantLimits(database);
    }

    @Override
    public java.util.Optional<dev.tally.tenant.TenantLimits> tenantLimits(String tenantId) {
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
    public List<PriceEntry> prices() {
        return prices.list();
    }

    @Override
    public void insertPrice(PriceEntry entry) {
        prices.insert(entry);
    }

    @Override
    public boolean deletePrice(String id) {
        return prices.delete(id);
    }

    @Override
    public void replacePrices(List<String> retiredIds, List<PriceEntry> added) {
        prices.replace(retiredIds, added);
    }

    @Override
    public boolean createTenant(Tenant tenant) {
        return database.metadata(connection -> {
            if (tenant(tenant.id()).isPresent()) {
                return false;
            }

            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO tenants (" + TENANT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                bindTenant(statement, tenant);
                statement.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public void updateTenant(Tenant tenant) {
        database.metadata(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE tenants SET id = ?, name = ?, created_ms = ?, max_concurrent_calls = ?, instructions = ?,"
                            + " store_sms_bodies = ?, retention_days = ? WHERE id = ?")) {
                bindTenant(statement, tenant);
                statement.setString(8, tenant.id());
                statement.executeUpdate();
            }
            return null;
        });
    }

    private static void bindTenant(PreparedStatement statement, Tenant tenant) throws SQLException {
        statement.setString(1, tenant.id());
        statement.setString(2, tenant.name());
        statement.setLong(3, tenant.createdMs());
        if (tenant.maxConcurrentCalls() == null) {
            statement.setNull(4, Types.INTEGER);
        } else {
            statement.setInt(4, tenant.maxConcurrentCalls());
        }
        statement.setString(5, tenant.instructions());
        statement.setBoolean(6, tenant.storeSmsBodies());
        if (tenant.retentionDays() == null) {
            statement.setNull(7, Types.INTEGER);
        } else {
            statement.setInt(7, tenant.retentionDays());
        }
    }

    @Override
    public Optional<Tenant> tenant(String id) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + TENANT_COLUMNS + " FROM tenants WHERE id = ?")) {
                statement.setString(1, id);
                try (ResultSet result = statement.executeQuery()) {
                    return result.next() ? Optional.of(readTenant(result)) : Optional.<Tenant>empty();
                }
            }
        });
    }

    @Override
    public List<Tenant> tenants() {
        return database.read(connection -> {
            List<Tenant> tenants = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + TENANT_COLUMNS + " FROM tenants ORDER BY id");
                 ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    tenants.add(readTenant(result));
                }
            }
            return tenants;
        });
    }

    private static Tenant readTenant(ResultSet result) throws SQLException {
        int limit = result.getInt(4);
        Integer maxConcurrentCalls = result.wasNull() ? null : limit;
        int days = result.getInt(7);
        Integer retentionDays = result.wasNull() ? null : days;
        return new Tenant(result.getString(1), result.getString(2), result.getLong(3), maxConcurrentCalls,
                result.getString(5), result.getBoolean(6), retentionDays);
    }

    @Override
    public void insertKey(ApiKey key) {
        database.metadata(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO api_keys (" + KEY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                statement.setString(1, key.id());
                statement.setString(2, key.tenantId());
                statement.setString(3, key.name());
                statement.setString(4, key.scopes().stream().map(Scope::wireName).sorted()
                        .collect(Collectors.joining(",")));
                statement.setString(5, key.secretHash());
                statement.setString(6, key.prefix());
                statement.setString(7, key.memberId());
                statement.setLong(8, key.createdMs());
                statement.setLong(9, key.expiresMs());
                if (key.revokedMs() == null) {
                    statement.setNull(10, Types.BIGINT);
                } else {
                    statement.setLong(10, key.revokedMs());
                }
                statement.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<ApiKey> keyByHash(String secretHash) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + KEY_COLUMNS + " FROM api_keys WHERE secret_hash = ?")) {
                statement.setString(1, secretHash);
                try (ResultSet result = statement.executeQuery()) {
                    return result.next() ? Optional.of(readKey(result)) : Optional.<ApiKey>empty();
                }
            }
        });
    }

    @Override
    public List<ApiKey> keys() {
        return database.read(connection -> {
            List<ApiKey> keys = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + KEY_COLUMNS + " FROM api_keys ORDER BY created_ms, id");
                 ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    keys.add(readKey(result));
                }
            }
            return keys;
        });
    }

    private static ApiKey readKey(ResultSet result) throws SQLException {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : result.getString(4).split(",")) {
            Scope.fromWire(name).ifPresent(scopes::add);
        }
        long revoked = result.getLong(10);
        Long revokedMs = result.wasNull() ? null : revoked;
        return new ApiKey(result.getString(1), result.getString(2), result.getString(3), scopes,
                result.getString(5), result.getString(6), result.getString(7), result.getLong(8), result.getLong(9),
                revokedMs);
    }

    @Override
    public boolean revokeKey(String id, long revokedMs) {
        return database.metadata(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE api_keys SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL")) {
                statement.setLong(1, revokedMs);
                statement.setString(2, id);
                return statement.executeUpdate() > 0;
            }
        });
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
        // one process owns the file: every attempt is its own
        return due;
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
