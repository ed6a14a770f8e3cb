package dev.tally.store.clickhouse;

import dev.tally.bench.EventGenerator;
import dev.tally.store.ReportStore;
import dev.tally.store.rollup.RollupRead;
import dev.tally.store.rollup.RollupTable;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Rollup reads of every table and their answers in a form two stores can be compared by. */
final class RollupAnswers {
    private static final long HOUR_MS = 3_600_000L;

    private RollupAnswers() {
    }

    /** Reads of every table for random tenants and ranges, most starting and ending inside an hour. */
    static List<RollupRead> reads(SplittableRandom random, long startMs) {
        List<RollupRead> reads = new ArrayList<>();
        for (RollupTable table : Rollups.ALL) {
            for (int index = 0; index < 4; index++) {
                long from = startMs + random.nextLong(3 * 24 * HOUR_MS);
                long to = from + random.nextLong(2 * 24 * HOUR_MS);
                if (index == 0) {
                    from = Math.floorDiv(from, table.grain().milliseconds()) * table.grain().milliseconds();
                    to = from + 2 * table.grain().milliseconds();
                }
                // the last read of each table spans every tenant, as tokens by assistant does without one
                String tenant = index == 3 ? null : EventGenerator.TENANTS[index % EventGenerator.TENANTS.length];
                reads.add(RollupRead.of(table, tenant, from, to));
            }
        }
        return reads;
    }

    /** Per read: each group's combined measures, groups that counted nothing left out, identities as null. */
    static List<Map<List<Object>, List<Long>>> of(ReportStore store, List<RollupRead> reads) {
        List<Map<List<Object>, List<Long>>> answers = new ArrayList<>();
        for (RollupRead read : reads) {
            RollupTable table = read.table();
            StringBuilder groups = new StringBuilder("tenant_id, " + table.grain().column());
            table.keys().forEach(key -> groups.append(", ").append(key.name()));
            SqlBuilder sql = new SqlBuilder().append("SELECT " + groups);
            List<RollupTable.Measure> measures = table.measures();
            for (int index = 0; index < measures.size(); index++) {
                String combine = switch (measures.get(index).combine()) {
                    case SUM -> "sum";
                    case MIN -> "min";
                    case MAX -> "max";
                };
                sql.append(", " + combine + "(" + measures.get(index).name() + ") AS m_" + index);
            }
            sql.append(" FROM ").append(store.rollup(read)).append(" AS rows_read GROUP BY " + groups);
            Map<List<Object>, List<Long>> answer = new HashMap<>();
            for (Row row : store.query(sql.build())) {
                List<Object> key = new ArrayList<>();
                key.add(row.string("tenant_id"));
                key.add(row.longValue(table.grain().column()));
                table.keys().forEach(column -> key.add(row.asMap().get(column.name()) instanceof Number number
                        ? (Object) Math.round(number.doubleValue()) : row.asMap().get(column.name())));
                List<Long> values = new ArrayList<>();
                for (int index = 0; index < measures.size(); index++) {
                    Object value = row.asMap().get("m_" + index);
                    long whole = row.longValue("m_" + index);
                    boolean identity = value == null || whole == measures.get(index).identity()
                            && measures.get(index).combine() != RollupTable.Combine.SUM;
                    values.add(identity ? null : whole);
                }
                if (values.get(0) != null && values.get(0) != 0) {
                    answer.put(key, values);
                }
            }
            answers.add(answer);
        }
        return answers;
    }
}
