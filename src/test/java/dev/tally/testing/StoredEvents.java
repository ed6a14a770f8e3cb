package dev.tally.testing;

import dev.tally.store.ReportStore;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import java.util.List;

/** Reads what a test server really stored, by SQL, so API tests check the store and not only the answer. */
public final class StoredEvents {
    private StoredEvents() {
    }

    public static long count(ReportStore store, String table, String tenantId) {
        return store.query(new SqlBuilder().append("SELECT count(*) AS n FROM " + reference(store, table) + "tenant_id = ")
                .value(tenantId).build()).get(0).longValue("n");
    }

    /** The row of one event (or call) by id, or fails when there is not exactly one. */
    public static Row row(ReportStore store, String table, String tenantId, String id) {
        List<Row> rows = store.query(new SqlBuilder().append("SELECT * FROM " + reference(store, table) + "tenant_id = ")
                .value(tenantId).append(" AND id = ").value(id).build());
        if (rows.size() != 1) {
            throw new AssertionError("expected one row for " + tenantId + "/" + id + " in " + table + ", found "
                    + rows.size());
        }
        return rows.get(0);
    }

    /** The store's own rows of a raw table by name, ending in an open {@code WHERE}: each (tenant, id) read once, as reports read it. */
    public static String reference(ReportStore store, String table) {
        return store.rows(RawTable.valueOf(table.toUpperCase(java.util.Locale.ROOT)));
    }

    /** A JSON array of {@code count} chat events with ids {@code prefix0 … prefix(count-1)}. */
    public static String chatBatch(String prefix, int count) {
        StringBuilder json = new StringBuilder("[");
        for (int index = 0; index < count; index++) {
            if (index > 0) {
                json.append(',');
            }
            json.append("{\"id\":\"").append(prefix).append(index)
                    .append("\",\"type\":\"chat\",\"time\":\"2026-03-15T10:00:00Z\",\"member_id\":\"m1\"}");
        }
        return json.append(']').toString();
    }
}
