package dev.tally.report.usage;

import dev.tally.event.EventType;
import dev.tally.report.DateRange;
import dev.tally.store.ReportStore;
import dev.tally.store.rollup.Rollups;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes the voice usage report: {@code stt} audio seconds and {@code tts} characters per UTC day,
 * provider and model. The per-provider figures and the totals are added up from the daily rows,
 * exactly, since the store sums integers (milliseconds, characters).
 */
public final class VoiceUsageQuery {
    private static final Comparator<String> NULLS_LAST = Comparator.nullsLast(Comparator.naturalOrder());

    private final ReportStore store;

    public VoiceUsageQuery(ReportStore store) {
        this.store = store;
    }

    public VoiceUsageReport run(String tenantId, DateRange range) {
        List<Row> both = daily(tenantId, range);
        List<Row> stt = both.stream().filter(row -> EventType.STT.wireName().equals(row.string("type"))).toList();
        List<Row> tts = both.stream().filter(row -> EventType.TTS.wireName().equals(row.string("type"))).toList();
        Map<ProviderModel, long[]> sttTotals = totals(stt);
        Map<ProviderModel, long[]> ttsTotals = totals(tts);
        long sttMs = sttTotals.values().stream().mapToLong(sums -> sums[0]).sum();
        long sttMessages = sttTotals.values().stream().mapToLong(sums -> sums[1]).sum();
        long ttsCharacters = ttsTotals.values().stream().mapToLong(sums -> sums[0]).sum();
        long ttsMessages = ttsTotals.values().stream().mapToLong(sums -> sums[1]).sum();
        long sttUnpriced = sttTotals.values().stream().mapToLong(sums -> sums[2]).sum();
        long ttsUnpriced = ttsTotals.values().stream().mapToLong(sums -> sums[2]).sum();
        return new VoiceUsageReport(range.from(), range.to(), Decimals.seconds(sttMs), sttMessages, ttsCharacters,
                ttsMessages, sttUnpriced, ttsUnpriced,
                sttTotals.entrySet().stream().map(entry -> new VoiceUsageReport.SttProvider(entry.getKey().provider(),
                        entry.getKey().model(), Decimals.seconds(entry.getValue()[0]), entry.getValue()[1])).toList(),
                ttsTotals.entrySet().stream().map(entry -> new VoiceUsageReport.TtsProvider(entry.getKey().provider(),
                        entry.getKey().model(), entry.getValue()[0], entry.getValue()[1])).toList(),
                stt.stream().map(row -> new VoiceUsageReport.SttRow(UsageSql.day(range, row.longValue("day_index")),
                        row.string("provider"), row.string("model"), Decimals.seconds(row.longValue("amount")),
                        row.longValue("messages"))).toList(),
                tts.stream().map(row -> new VoiceUsageReport.TtsRow(UsageSql.day(range, row.longValue("day_index")),
                        row.string("provider"), row.string("model"), row.longValue("amount"),
                        row.longValue("messages"))).toList());
    }

    /**
     * One row per type, day, provider and model, ordered by day, provider and model: speech to text
     * and text to speech in one query, one round trip; {@code amount} is milliseconds of audio for
     * {@code stt}, characters for {@code tts}; {@code unpriced} the events no price entry priced.
     */
    private List<Row> daily(String tenantId, DateRange range) {
        SqlBuilder sql = new SqlBuilder().append("SELECT type, " + UsageSql.rollupDayIndex(range) + " AS day_index,"
                + " provider, model, sum(events) AS messages, sum(CASE WHEN type = ").value(EventType.STT.wireName())
                .append(" THEN duration_ms ELSE characters END) AS amount,"
                        + " sum(CASE WHEN unpriced = 1 THEN events ELSE 0 END) AS unpriced_count");
        UsageSql.fromRollup(sql, store, Rollups.USAGE_BY_MODEL, tenantId, range).append(" AND type IN ")
                .values(List.of(EventType.STT.wireName(), EventType.TTS.wireName()));
        sql.append(" GROUP BY type, day, provider, model HAVING sum(events) <> 0"
                + " ORDER BY day, provider ASC NULLS LAST, model ASC NULLS LAST");
        return store.query(sql.build());
    }

    /** {amount, messages, unpriced} per provider and model, ordered by provider then model. */
    private static Map<ProviderModel, long[]> totals(List<Row> rows) {
        Map<ProviderModel, long[]> totals = new LinkedHashMap<>();
        for (Row row : rows) {
            long[] sums = totals.computeIfAbsent(new ProviderModel(row.string("provider"), row.string("model")),
                    key -> new long[3]);
            sums[0] += row.longValue("amount");
            sums[1] += row.longValue("messages");
            sums[2] += row.longValue("unpriced_count");
        }
        List<ProviderModel> keys = new ArrayList<>(totals.keySet());
        keys.sort(Comparator.comparing(ProviderModel::provider, NULLS_LAST)
                .thenComparing(ProviderModel::model, NULLS_LAST));
        Map<ProviderModel, long[]> sorted = new LinkedHashMap<>();
        keys.forEach(key -> sorted.put(key, totals.get(key)));
        return sorted;
    }

    private record ProviderModel(String provider, String model) {
    }
}
