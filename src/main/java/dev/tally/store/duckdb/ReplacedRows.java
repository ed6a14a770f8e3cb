package dev.tally.store.duckdb;

import dev.tally.event.Event;
import dev.tally.store.sql.SqlBuilder;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Deletes the stored rows that corrections or newer call states replace: the rows as the lookup
 * found them, each picked by its tenant and id, between the times they were stored at.
 */
final class ReplacedRows {
    private ReplacedRows() {
    }

    /**
     * One statement for rows stored near each other in time, whatever their tenants: tenants
     * interleave in the table, so a statement per tenant read the same row groups again for each.
     * Rows more than {@link LookupWindows#MARGIN_MS} apart go to statements of their own, so one
     * tenant's old rows do not widen the others' bounds.
     */
    static void delete(Connection connection, String table, List<Event> replaced) throws SQLException {
        List<Event> byTime = new ArrayList<>(replaced);
        byTime.sort(Comparator.comparingLong(event -> event.timeMs));
        int start = 0;
        for (int index = 1; index <= byTime.size(); index++) {
            if (index == byTime.size() || byTime.get(index).timeMs - byTime.get(index - 1).timeMs > LookupWindows.MARGIN_MS) {
                deleteNear(connection, table, byTime.subList(start, index));
                start = index;
            }
        }
    }

    /**
     * By row id from a join with the (tenant, id) pairs: the pairs must match together, as one
     * tenant's id may be another's too; the times' bounds let DuckDB skip the row groups outside them.
     */
    private static void deleteNear(Connection connection, String table, List<Event> rows) throws SQLException {
        SqlBuilder sql = new SqlBuilder().append("DELETE FROM " + table + " WHERE rowid IN (SELECT stored.rowid FROM "
                + table + " AS stored JOIN (VALUES ");
        String comma = "";
        for (Event row : rows) {
            sql.append(comma + "(CAST(").value(row.tenantId).append(" AS VARCHAR), CAST(").value(row.id)
                    .append(" AS VARCHAR))");
            comma = ", ";
        }
        sql.append(") AS replaced(tenant_id, id) ON stored.tenant_id = replaced.tenant_id AND stored.id = replaced.id"
                + " WHERE stored.time_ms >= ").value(rows.get(0).timeMs).append(" AND stored.time_ms <= ")
                .value(rows.get(rows.size() - 1).timeMs).append(")");
        DuckDbEventStore.update(connection, sql.build());
    }
}
