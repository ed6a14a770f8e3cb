package dev.tally.report.usage;

import dev.tally.event.CostSource;
import dev.tally.event.EventType;
import dev.tally.report.DateRange;
import dev.tally.store.EventStore;
import dev.tally.store.Row;
import dev.tally.store.SqlBuilder;
import dev.tally.store.rollup.Rollups;
import java.util.List;

/**
 * Computes the AI usage report from {@code llm} and {@code message} events. The per-provider sums
 * are the only full aggregation over LLM events; the totals are added up from them in Java, exactly,
 * since they are integers.
 */
public final class AiUsageQuery {
    static final int TOP_MODELS = 10;
    private static final String TEXT_TOKENS = "input_tokens + cache_creation_input_tokens + output_tokens";
    private static final String REALTIME = "realtime";
    private static final String CHAT = "chat";

    private final EventStore store;

    public AiUsageQuery(EventStore store) {
        this.store = store;
    }

    public AiUsageReport run(String tenantId, DateRange range) {
        List<Row> providers = byProvider(tenantId, range);
        long tokens = 0;
        long cached = 0;
        long audioIn = 0;
        long audioOut = 0;
        long credits = 0;
        long unpriced = 0;
        long cost = 0;
        for (Row row : providers) {
            tokens += row.longValue("total_tokens");
            cached += row.longValue("cached_tokens");
            audioIn += row.longValue("audio_input_tokens");
            audioOut += row.longValue("audio_output_tokens");
            credits += row.longValue("credits_micros");
            unpriced += row.longValue("unpriced");
            cost += row.longValue("cost_nanos");
        }
        return new AiUsageReport(range.from(), range.to(), messages(tenantId, range), tokens, cached, audioIn, audioOut,
                Decimals.credits(credits), unpriced, Decimals.dollars(cost),
                providers.stream().map(row -> new AiUsageReport.ProviderUsage(row.string("provider"),
                        row.longValue("requests"), row.longValue("total_tokens"),
                        Decimals.credits(row.longValue("credits_micros")),
                        Decimals.dollars(row.longValue("cost_nanos")))).toList(),
                byType(tenantId, range), topModels(tenantId, range));
    }

    /**
     * Where the rows come from: the events rollup (one row per day and dimensions, {@code events}
     * its count) or the raw events ({@code count(*)} and the raw columns). Both give the same sums.
     */
    private SqlBuilder from(SqlBuilder sql, String tenantId, EventType type, DateRange range) {
        return store.maintainsRollups()
                ? UsageSql.fromRollup(sql, Rollups.USAGE_BY_MODEL.name(), tenantId, type, range)
                : UsageSql.fromEvents(sql, tenantId, type, range);
    }

    /** The count of events: summed from the rollup, counted from raw rows. */
    private String count() {
        return store.maintainsRollups() ? "sum(events)" : "count(*)";
    }

    /** Rollup groups whose events all cancelled out are not groups of the raw data. */
    private String having() {
        return store.maintainsRollups() ? " HAVING sum(events) <> 0" : "";
    }

    private long messages(String tenantId, DateRange range) {
        SqlBuilder sql = new SqlBuilder().append("SELECT " + count() + " AS messages");
        from(sql, tenantId, EventType.MESSAGE, range);
        return store.query(sql.build()).get(0).longValue("messages");
    }

    private List<Row> byProvider(String tenantId, DateRange range) {
        SqlBuilder sql = new SqlBuilder().append("SELECT provider, " + count() + " AS requests, sum(" + TEXT_TOKENS
                + ") AS total_tokens, sum(cached_input_tokens) AS cached_tokens,"
                + " sum(input_audio_tokens) AS audio_input_tokens, sum(output_audio_tokens) AS audio_output_tokens,"
                + " sum(credits_micros) AS credits_micros, sum(cost_nanos) AS cost_nanos,"
                + " sum(");
        if (store.maintainsRollups()) {
            sql.append("CASE WHEN unpriced = 1 THEN events ELSE 0 END) AS unpriced");
        } else {
            sql.append("CASE WHEN cost_source = ").value(CostSource.UNPRICED.wireName())
                    .append(" THEN 1 ELSE 0 END) AS unpriced");
        }
        from(sql, tenantId, EventType.LLM, range);
        sql.append(" GROUP BY provider" + having() + " ORDER BY credits_micros DESC, provider ASC NULLS LAST");
        return store.query(sql.build());
    }

    /** Always both types, chat first, so a client can read the split without looking for a missing entry. */
    private List<AiUsageReport.TypeUsage> byType(String tenantId, DateRange range) {
        String events = store.maintainsRollups() ? "events" : "1";
        SqlBuilder sql = new SqlBuilder().append("SELECT llm_type, sum(events) AS requests, sum(tokens) AS total_tokens,"
                + " sum(credits_micros) AS credits_micros FROM (SELECT CASE WHEN kind = ").value(REALTIME)
                .append(" THEN ").value(REALTIME).append(" ELSE ").value(CHAT)
                .append(" END AS llm_type, " + events + " AS events, " + TEXT_TOKENS + " AS tokens, credits_micros");
        from(sql, tenantId, EventType.LLM, range);
        sql.append(") AS typed GROUP BY llm_type HAVING sum(events) <> 0");
        List<Row> rows = store.query(sql.build());
        return List.of(typeUsage(rows, CHAT), typeUsage(rows, REALTIME));
    }

    private static AiUsageReport.TypeUsage typeUsage(List<Row> rows, String type) {
        for (Row row : rows) {
            if (type.equals(row.string("llm_type"))) {
                return new AiUsageReport.TypeUsage(type, row.longValue("requests"), row.longValue("total_tokens"),
                        Decimals.credits(row.longValue("credits_micros")));
            }
        }
        return new AiUsageReport.TypeUsage(type, 0, 0, Decimals.credits(0));
    }

    private List<AiUsageReport.ModelUsage> topModels(String tenantId, DateRange range) {
        SqlBuilder sql = new SqlBuilder().append("SELECT model, provider, " + count() + " AS requests, sum("
                + TEXT_TOKENS + ") AS total_tokens, sum(credits_micros) AS credits_micros");
        from(sql, tenantId, EventType.LLM, range);
        sql.append(" GROUP BY model, provider" + having() + " ORDER BY credits_micros DESC, model ASC, provider ASC NULLS LAST LIMIT ")
                .value(TOP_MODELS);
        return store.query(sql.build()).stream()
                .map(row -> new AiUsageReport.ModelUsage(row.string("model"), row.string("provider"),
                        row.longValue("requests"), row.longValue("total_tokens"),
                        Decimals.credits(row.longValue("credits_micros"))))
                .toList();
    }
}
