package dev.tally.report.contract;

import static dev.tally.report.contract.EventFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code GET /v1/analytics/spend} (spec 000, README "Spend") computed from the stored calls: calls
 * selected by their UTC start day and the filters, which apply to every figure; calls in progress
 * count but have no duration; {@code cost_usd} is the carrier's cost; drop-off buckets include their
 * top ({@code <30s} is below 30 s); calls without an agent are not in {@code agent_performance}.
 */
final class SpendOracle {
    private static final List<String> STATUSES = List.of("completed", "failed", "in_progress");
    private static final List<String> SENTIMENTS = List.of("positive", "neutral", "negative");

    private SpendOracle() {
    }

    static ObjectNode expected(StoredState stored, String tenant, LocalDate from, LocalDate to, String agent,
                               String status) {
        List<JsonNode> calls = stored.events(tenant, "call", call -> EventFields.inDays(call, from, to)
                && (agent == null || agent.equals(text(call, "agent_id")))
                && (status == null || status.equals(text(call, "status"))));
        ObjectNode answer = AnswerComparison.MAPPER.createObjectNode();
        long completed = withStatus(calls, "completed");
        List<Long> durations = calls.stream().map(EventFields::durationMillis).filter(Objects::nonNull).toList();
        long durationMillis = durations.stream().mapToLong(Long::longValue).sum();
        answer.put("total_calls", calls.size()).put("completed_calls", completed)
                .put("in_progress_calls", withStatus(calls, "in_progress"))
                .put("average_duration_seconds", durations.isEmpty() ? BigDecimal.ZERO
                        : BigDecimal.valueOf(durationMillis).divide(BigDecimal.valueOf(durations.size() * 1000L), 0,
                        RoundingMode.HALF_UP));
        // the document gives no precision for the rate; Tally prints four decimals
        answer.set("success_rate", AnswerComparison.approximately(calls.isEmpty() ? BigDecimal.ZERO
                : BigDecimal.valueOf(completed).divide(BigDecimal.valueOf(calls.size()), 12, RoundingMode.HALF_UP),
                "0", "0.0001"));
        answer.putObject("telecom_costs").put("total_minutes", Durations.minutes(durationMillis))
                .put("cost_usd", cost(calls)).put("unpriced_calls", VoiceUsageOracle.unpriced(calls));
        answer.put("total_spent", cost(calls));
        ArrayNode series = answer.putArray("time_series");
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            LocalDate date = day;
            List<JsonNode> ofDay = calls.stream().filter(call -> EventFields.utcDay(call).equals(date)).toList();
            series.addObject().put("date", day.toString()).put("calls", ofDay.size())
                    .put("minutes", Durations.minutes(timedMillis(ofDay))).put("cost", cost(ofDay));
        }
        ObjectNode statuses = answer.putObject("status_distribution");
        STATUSES.forEach(name -> statuses.put(name, withStatus(calls, name)));
        ObjectNode sentiments = answer.putObject("sentiment_distribution");
        SENTIMENTS.forEach(name -> sentiments.put(name, calls.stream()
                .filter(call -> name.equals(text(call, "sentiment"))).count()));
        sentiments.put("unknown", calls.stream().filter(call -> text(call, "sentiment") == null).count());
        answer.set("agent_performance", agents(calls));
        answer.set("drop_off_points", dropOffs(durations));
        answer.putObject("filters").put("from", from.toString()).put("to", to.toString()).put("agent_id", agent)
                .put("status", status);
        return answer;
    }

    private static long withStatus(List<JsonNode> calls, String status) {
        return calls.stream().filter(call -> status.equals(text(call, "status"))).count();
    }

    /**
     * The exact sum, printed to the micro-dollar, half up: what the report prints (spec 000 fixes no
     * precision; sub-micro carrier costs, which the ingest contract allows, are where it shows).
     */
    private static BigDecimal cost(List<JsonNode> calls) {
        return calls.stream().map(call -> EventFields.decimal(call, "cost_usd")).filter(Objects::nonNull)
                .reduce(BigDecimal.ZERO, BigDecimal::add).setScale(6, RoundingMode.HALF_UP);
    }

    private static long timedMillis(List<JsonNode> calls) {
        return calls.stream().map(EventFields::durationMillis).filter(Objects::nonNull).mapToLong(Long::longValue)
                .sum();
    }

    /** Most calls first, then by id, as the fixed-dataset test pins the order of equals. */
    private static ArrayNode agents(List<JsonNode> calls) {
        Map<String, List<JsonNode>> byAgent = calls.stream().filter(call -> text(call, "agent_id") != null)
                .collect(Collectors.groupingBy(call -> text(call, "agent_id"), TreeMap::new, Collectors.toList()));
        ArrayNode agents = AnswerComparison.MAPPER.createArrayNode();
        byAgent.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, List<JsonNode>> entry) -> -entry.getValue().size())
                        .thenComparing(Map.Entry::getKey))
                .forEach(entry -> agents.addObject().put("agent_id", entry.getKey())
                        .put("calls", entry.getValue().size())
                        .put("minutes", Durations.minutes(timedMillis(entry.getValue())))
                        .put("cost", cost(entry.getValue())));
        return agents;
    }

    private static ArrayNode dropOffs(List<Long> durations) {
        long[] counts = new long[5];
        for (long millis : durations) {
            counts[millis < 30_000 ? 0 : millis <= 60_000 ? 1 : millis <= 180_000 ? 2 : millis <= 300_000 ? 3 : 4]++;
        }
        String[] names = {"<30s", "30-60s", "1-3m", "3-5m", ">5m"};
        ArrayNode buckets = AnswerComparison.MAPPER.createArrayNode();
        for (int index = 0; index < names.length; index++) {
            buckets.addObject().put("bucket", names[index]).put("count", counts[index]);
        }
        return buckets;
    }
}
