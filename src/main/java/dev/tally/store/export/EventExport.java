package dev.tally.store.export;

import dev.tally.event.EventType;
import dev.tally.store.sql.EventColumn;
import dev.tally.store.sql.EventColumns;
import dev.tally.store.sql.RawTable;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import java.util.List;
import java.util.function.Function;

/**
 * A tenant's raw events of {@code [fromMs, toMs)}, as stored: every column but the tenant (the
 * caller's) and the internal id hash, with the stored cost ({@code cost_nanos}, nano-dollars) and
 * credits ({@code credits_micros}); calls from their own table. In no particular order, so that
 * neither engine holds a range in memory to sort it.
 *
 * @param type null: every type
 */
public record EventExport(String tenantId, long fromMs, long toMs, EventType type, ExportFormat format) {

    /** The columns written, in order. */
    public static final List<String> COLUMNS = EventColumns.ALL.stream().map(EventColumn::name)
            .filter(name -> !name.equals("tenant_id") && !name.equals("id_hash")).toList();

    /** The export's rows as one SELECT over a store's current rows ({@code ReportStore.rows}). */
    public Sql select(Function<RawTable, String> rows) {
        String columns = String.join(", ", COLUMNS);
        SqlBuilder sql = new SqlBuilder();
        boolean first = true;
        for (RawTable table : tables()) {
            sql.append(first ? "" : " UNION ALL ").append("SELECT " + columns + " FROM " + rows.apply(table)
                    + "tenant_id = ").value(tenantId).append(" AND time_ms >= ").value(fromMs)
                    .append(" AND time_ms < ").value(toMs);
            if (type != null) {
                sql.append(" AND type = ").value(type.wireName());
            }
            first = false;
        }
        return sql.build();
    }

    private List<RawTable> tables() {
        if (type == null) {
            return List.of(RawTable.EVENTS, RawTable.CALLS);
        }
        return List.of(type == EventType.CALL ? RawTable.CALLS : RawTable.EVENTS);
    }
}
