package dev.tally.report.stats;

import dev.tally.store.sql.SqlBuilder;
import java.util.List;

/**
 * Which llm events count, from the request's {@code filter}. Each list, when not empty, keeps the
 * events whose field is one of its values; the lists combine with AND. {@code input_refs} and
 * {@code output_refs} have nothing to match in Tally (it stores no call inputs or outputs), so the
 * reader refuses them when not empty rather than answer for every call.
 *
 * @param callIds the event ids ({@code id})
 * @param userIds matched against {@code user_email} (the reference API's {@code wb_user_ids})
 * @param runIds matched against {@code run_id} (the reference API's {@code wb_run_ids})
 * @param traceRootsOnly keep only events without a {@code parent_id}
 */
record StatsFilter(List<String> opNames, List<String> traceIds, List<String> callIds, List<String> parentIds,
                   List<String> threadIds, List<String> turnIds, boolean traceRootsOnly, List<String> userIds,
                   List<String> runIds) {

    static final StatsFilter NONE = new StatsFilter(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
            false, List.of(), List.of());

    /** Appends {@code AND …} conditions, each list a parameterised IN so the SQL text stays small. */
    void appendTo(SqlBuilder sql) {
        in(sql, "op_name", opNames);
        in(sql, "trace_id", traceIds);
        in(sql, "id", callIds);
        in(sql, "parent_id", parentIds);
        in(sql, "thread_id", threadIds);
        in(sql, "turn_id", turnIds);
        in(sql, "user_email", userIds);
        in(sql, "run_id", runIds);
        if (traceRootsOnly) {
            sql.append(" AND parent_id IS NULL");
        }
    }

    private static void in(SqlBuilder sql, String column, List<String> values) {
        if (!values.isEmpty()) {
            sql.append(" AND " + column + " IN ").values(values);
        }
    }
}
