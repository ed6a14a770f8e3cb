package dev.tally.report.callcost;

import dev.tally.http.CsvTable;
import dev.tally.report.ReportDecimals;
import dev.tally.report.SqlTextOrder;
import dev.tally.store.callcost.CallCostSummary;
import dev.tally.store.callcost.ComponentNanos;
import dev.tally.store.callcost.CostComponent;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The answer of {@code GET /v1/analytics/call-costs}: the calls started in the range (UTC days,
 * inclusive), added up from the store's (day, agent) sums in Java, exactly, since they are
 * integers. {@code by_day} holds every day of the range, days without calls as zeros;
 * {@code by_agent} leaves out calls without an agent, as spend's agent table does.
 */
record CallCostsReport(String from, String to, Totals totals, List<Day> byDay, List<Agent> byAgent,
                       List<CallCostRows.Call> calls, List<CallCostRows.Call> mismatchedCalls) {

    record Totals(long calls, BigDecimal minutes, BigDecimal totalCostUsd, BigDecimal costPerMinuteUsd,
                  Map<String, BigDecimal> components, long unpricedEvents) {
    }

    /** A day's calls: its parts and their sum, with the calls and minutes a chart of cost per minute divides by. */
    record Day(String date, Map<String, BigDecimal> components, BigDecimal totalCostUsd, long calls,
               BigDecimal minutes, BigDecimal costPerMinuteUsd) {
    }

    record Agent(String agentId, long calls, BigDecimal minutes, BigDecimal totalCostUsd, BigDecimal costPerMinuteUsd) {
    }

    /** Sums of a set of calls: how many, their talk time, their parts, their unpriced events. */
    private static final class Sums {
        long calls;
        long durationMs;
        long unpriced;
        final ComponentNanos components = new ComponentNanos();

        void add(CallCostSummary.Group group) {
            calls = Math.addExact(calls, group.calls());
            durationMs = Math.addExact(durationMs, group.durationMs());
            unpriced = Math.addExact(unpriced, group.unpricedEvents());
            components.add(group.components());
        }
    }

    static CallCostsReport of(CallCostFilters filters, CallCostSummary summary) {
        Sums totals = new Sums();
        Map<Long, Sums> days = new HashMap<>();
        Map<String, Sums> agents = new TreeMap<>(SqlTextOrder.NULLS_LAST);
        for (CallCostSummary.Group group : summary.groups()) {
            totals.add(group);
            days.computeIfAbsent(group.epochDay(), any -> new Sums()).add(group);
            if (group.agentId() != null) {
                agents.computeIfAbsent(group.agentId(), any -> new Sums()).add(group);
            }
        }
        Set<CostComponent> fees = CallCostRows.feesPresent(totals.components);
        List<Day> byDay = new ArrayList<>();
        for (LocalDate date : filters.range().days()) {
            Sums day = days.getOrDefault(date.toEpochDay(), new Sums());
            byDay.add(new Day(date.toString(), CallCostRows.components(day.components, fees),
                    ReportDecimals.dollars(day.components.total()), day.calls, ReportDecimals.minutes(day.durationMs),
                    CallCostRows.perMinute(day.components.total(), day.durationMs)));
        }
        List<Map.Entry<String, Sums>> ranked = new ArrayList<>(agents.entrySet());
        // most expensive first, by the exact sum; the sort is stable, so agents that cost as much stay in text order
        ranked.sort(Comparator.comparingLong((Map.Entry<String, Sums> entry) -> entry.getValue().components.total())
                .reversed());
        List<Agent> byAgent = ranked.stream().map(entry -> new Agent(entry.getKey(), entry.getValue().calls,
                ReportDecimals.minutes(entry.getValue().durationMs),
                ReportDecimals.dollars(entry.getValue().components.total()),
                CallCostRows.perMinute(entry.getValue().components.total(), entry.getValue().durationMs))).toList();
        return new CallCostsReport(filters.range().from().toString(), filters.range().to().toString(),
                new Totals(totals.calls, ReportDecimals.minutes(totals.durationMs),
                        ReportDecimals.dollars(totals.components.total()),
                        CallCostRows.perMinute(totals.components.total(), totals.durationMs),
                        CallCostRows.components(totals.components, fees), totals.unpriced),
                byDay, byAgent, CallCostRows.calls(summary.calls()), CallCostRows.calls(summary.mismatched()));
    }

    /** The listed calls as CSV, one column per part. */
    CsvTable csv() {
        List<String> header = new ArrayList<>(List.of("call_id", "agent_id", "provider", "status", "started_at",
                "duration_seconds"));
        for (CostComponent component : CostComponent.values()) {
            header.add(component.key() + "_usd");
        }
        header.addAll(List.of("total_cost_usd", "reported_total_cost_usd", "difference_usd", "unpriced_events"));
        CsvTable table = new CsvTable(header);
        for (CallCostRows.Call call : calls) {
            List<Object> row = new ArrayList<>(java.util.Arrays.asList(call.callId(), call.agentId(), call.provider(),
                    call.status(), call.startedAt(), call.durationSeconds()));
            for (CostComponent component : CostComponent.values()) {
                row.add(call.components().getOrDefault(component.key(), ReportDecimals.dollars(0)));
            }
            row.addAll(java.util.Arrays.asList(call.totalCostUsd(), call.reportedTotalCostUsd(), call.differenceUsd(),
                    call.unpricedEvents()));
            table.row(row);
        }
        return table;
    }
}
