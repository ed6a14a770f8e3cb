package dev.tally.store.clickhouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.tenant.Budget;
import dev.tally.tenant.BudgetDocument;
import java.util.List;
import java.util.Optional;

/**
 * Budgets in ClickHouse, shared by every instance: a ReplacingMergeTree keyed by id, read
 * {@code FINAL}; a change is a row of a higher version, a removal a row flagged deleted.
 */
final class ClickHouseBudgets {
    static final String TABLE = "budgets";
    static final String COLUMNS = "id String, tenant_id String, definition String, created_ms Int64, updated_ms Int64,"
            + " deleted UInt8, version UInt64";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SELECT = "SELECT id, tenant_id, definition, created_ms, updated_ms, deleted, version FROM "
            + TABLE + " FINAL WHERE ";

    private final ClickHouseHttp http;

    ClickHouseBudgets(ClickHouseHttp http) {
        this.http = http;
    }

    void put(Budget budget) {
        write(budget, false, Versions.after(latest(budget.id()).map(row -> row.longValue("version")).orElse(0L)));
    }

    Optional<Budget> byId(String id) {
        return latest(id).filter(row -> row.longValue("deleted") == 0).map(ClickHouseBudgets::budget);
    }

    List<Budget> list(String tenantId) {
        SqlBuilder sql = new SqlBuilder().append(SELECT + "deleted = 0");
        if (tenantId != null) {
            sql.append(" AND tenant_id = ").value(tenantId);
        }
        return query(sql.append(" ORDER BY tenant_id, created_ms, id").build()).stream()
                .map(ClickHouseBudgets::budget).toList();
    }

    boolean remove(String id) {
        Optional<Row> live = latest(id).filter(row -> row.longValue("deleted") == 0);
        if (live.isEmpty()) {
            return false;
        }
        write(budget(live.get()), true, Versions.after(live.get().longValue("version")));
        return true;
    }

    private Optional<Row> latest(String id) {
        return query(new SqlBuilder().append(SELECT + "id = ").value(id).build()).stream().findFirst();
    }

    private List<Row> query(Sql sql) {
        return http.query(ClickHouseLiterals.bind(sql));
    }

    private static Budget budget(Row row) {
        return BudgetDocument.read(row.string("id"), row.string("tenant_id"), row.string("definition"),
                row.longValue("created_ms"), row.longValue("updated_ms"));
    }

    private void write(Budget budget, boolean deleted, long version) {
        try {
            http.insert(TABLE, MAPPER.writeValueAsString(MAPPER.createObjectNode().put("id", budget.id())
                    .put("tenant_id", budget.tenantId()).put("definition", BudgetDocument.of(budget))
                    .put("created_ms", budget.createdMs()).put("updated_ms", budget.updatedMs())
                    .put("deleted", deleted ? 1 : 0).put("version", version)));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
