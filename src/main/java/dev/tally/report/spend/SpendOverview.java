package dev.tally.report.spend;

import dev.tally.http.CsvTable;
import dev.tally.report.ReportDecimals;
import dev.tally.report.spend.SpendQuery.AgentTotals;
import dev.tally.report.spend.SpendQuery.DayTotals;
import dev.tally.report.spend.SpendQuery.SpendTotals;
import dev.tally.store.rollup.CallDurationBucket;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer of {@code GET /v1/analytics/spend}, field for field and in the order of spec 000.
 * {@code telecom_costs.unpriced_calls} is Tally's addition: calls that neither carried a carrier
 * cost nor found a price, stored at cost 0, so a cost that is too low shows why.
 */
record SpendOverview(
        long totalCalls,
        long completedCalls,
        long inProgressCalls,
        long averageDurationSeconds,
        BigDecimal successRate,
        TelecomCosts telecomCosts,
        BigDecimal totalSpent,
        List<Day> timeSeries,
        StatusDistribution statusDistribution,
        SentimentDistribution sentimentDistribution,
        List<Agent> agentPerformance,
        List<DropOff> dropOffPoints,
        Filters filters) {


    record TelecomCosts(BigDecimal totalMinutes, BigDecimal costUsd, long unpricedCalls) {
    }

    record Day(String date, long calls, BigDecimal minutes, BigDecimal cost) {
    }

    record StatusDistribution(long completed, long failed, long inProgress) {
    }

    record SentimentDistribution(long positive, long neutral, long negative, long unknown) {
    }

    record Agent(String agentId, long calls, BigDecimal minutes, BigDecimal cost) {
    }

    record DropOff(String bucket, long count) {
    }

    record Filters(String from, String to, String agentId, String status) {
    }

    static SpendOverview of(SpendFilters filters, SpendTotals totals, List<DayTotals> days, List<AgentTotals> agents,
                            long unpricedCalls) {
        BigDecimal cost = ReportDecimals.dollars(totals.costNanos());
        return new SpendOverview(
                totals.calls(),
                totals.completed(),
                totals.inProgress(),
                averageSeconds(totals),
                ReportDecimals.ratio(totals.completed(), totals.calls(), 4),
                new TelecomCosts(ReportDecimals.minutes(totals.durationMs()), cost, unpricedCalls),
                cost,
                denseDays(filters, days),
                new StatusDistribution(totals.completed(), totals.failed(), totals.inProgress()),
                new SentimentDistribution(totals.positive(), totals.neutral(), totals.negative(),
                        totals.calls() - totals.positive() - totals.neutral() - totals.negative()),
                agents.stream().map(agent -> new Agent(agent.agentId(), agent.calls(),
                        ReportDecimals.minutes(agent.durationMs()), ReportDecimals.dollars(agent.costNanos()))).toList(),
                dropOffs(totals),
                new Filters(filters.range().from().toString(), filters.range().to().toString(), filters.agentId(),
                        filters.status() == null ? null : filters.status().wireName()));
    }

    /** The time series as CSV, the one table of the overview. */
    CsvTable timeSeriesCsv() {
        CsvTable table = new CsvTable(List.of("date", "calls", "minutes", "cost"));
        timeSeries.forEach(day -> table.row(List.of(day.date(), day.calls(), day.minutes(), day.cost())));
        return table;
    }

    private static long averageSeconds(SpendTotals totals) {
        if (totals.timedCalls() == 0) {
            return 0;
        }
        return BigDecimal.valueOf(totals.durationMs())
                .divide(BigDecimal.valueOf(totals.timedCalls() * 1000L), 0, RoundingMode.HALF_UP).longValueExact();
    }

    /** Every day of the range, days without calls as zeros, so charts need not fill gaps. */
    private static List<Day> denseDays(SpendFilters filters, List<DayTotals> days) {
        List<Day> series = new ArrayList<>();
        int next = 0;
        List<LocalDate> dates = filters.range().days();
        for (int index = 0; index < dates.size(); index++) {
            DayTotals found = next < days.size() && days.get(next).dayIndex() == index ? days.get(next++) : null;
            series.add(found == null
                    ? new Day(dates.get(index).toString(), 0, ReportDecimals.minutes(0), ReportDecimals.dollars(0))
                    : new Day(dates.get(index).toString(), found.calls(), ReportDecimals.minutes(found.durationMs()),
                            ReportDecimals.dollars(found.costNanos())));
        }
        return series;
    }

    private static List<DropOff> dropOffs(SpendTotals totals) {
        List<DropOff> points = new ArrayList<>();
        for (int index = 0; index < CallDurationBucket.ALL.size(); index++) {
            points.add(new DropOff(CallDurationBucket.ALL.get(index).label(), totals.durationBuckets().get(index)));
        }
        return points;
    }
}
