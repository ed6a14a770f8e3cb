package dev.tally.report.contract;

import static dev.tally.report.contract.EventFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cost of calls (events.md, "The cost of a call"; README "Call costs") computed from the stored
 * events: a call's own {@code cost_usd} plus the stored cost of every event naming it in
 * {@code call_id} (an LLM request priced by the contract's book, a transcription, synthesis or fee
 * at its reported cost, else 0 and unpriced), split by type and fee kind; the reported total never
 * added. Calls belong to the UTC day they start; money is summed exactly and printed to the
 * micro-dollar, half up; fee kinds are named where they add something.
 */
final class CallCostOracle {
    static final List<String> USAGE_PARTS = List.of("telephony", "stt", "llm", "tts", "sms");
    static final List<String> FEE_KINDS = List.of("platform", "analysis", "transport", "phone_number", "other");
    private static final BigDecimal CENT = new BigDecimal("0.01");

    private CallCostOracle() {
    }

    /** One call's parts, sum and events. */
    record Cost(JsonNode call, Map<String, BigDecimal> components, long unpriced, List<JsonNode> parts,
                List<BigDecimal> partCosts) {
        BigDecimal total() {
            return components.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        BigDecimal reported() {
            return EventFields.decimal(call, "reported_total_cost_usd");
        }

        Long durationMillis() {
            return EventFields.durationMillis(call);
        }
    }

    static Cost cost(StoredState stored, ContractPrices prices, String tenant, JsonNode call) {
        Map<String, BigDecimal> components = new LinkedHashMap<>();
        USAGE_PARTS.forEach(part -> components.put(part, BigDecimal.ZERO));
        FEE_KINDS.forEach(kind -> components.put(kind, BigDecimal.ZERO));
        BigDecimal carrier = EventFields.decimal(call, "cost_usd");
        components.put("telephony", carrier == null ? BigDecimal.ZERO : carrier);
        long unpriced = carrier == null ? 1 : 0;
        String id = EventFields.id(call);
        List<JsonNode> parts = new ArrayList<>();
        for (String type : List.of("llm", "stt", "tts", "sms", "fee")) {
            parts.addAll(stored.events(tenant, type, event -> id.equals(text(event, "call_id"))));
        }
        parts.sort(Comparator.comparing(EventFields::time).thenComparing(EventFields::id));
        List<BigDecimal> costs = new ArrayList<>();
        for (JsonNode part : parts) {
            String type = EventFields.type(part);
            BigDecimal reported = EventFields.decimal(part, "cost_usd");
            BigDecimal partCost;
            boolean priced;
            if ("llm".equals(type)) {
                ContractPrices.Priced price = prices.price(tenant, part);
                partCost = price.cost();
                priced = price.priced() || reported != null;
            } else {
                // the contract's book prices no audio minute or character: a part without a reported cost is unpriced
                partCost = reported == null ? BigDecimal.ZERO : reported;
                priced = reported != null;
            }
            String component = "fee".equals(type) ? text(part, "kind") : type;
            components.merge(component, partCost, BigDecimal::add);
            unpriced += priced ? 0 : 1;
            costs.add(partCost);
        }
        return new Cost(call, components, unpriced, parts, costs);
    }

    static ObjectNode single(StoredState stored, ContractPrices prices, String tenant, JsonNode call) {
        Cost cost = cost(stored, prices, tenant, call);
        ObjectNode answer = row(cost);
        ArrayNode events = answer.putArray("events");
        for (int index = 0; index < cost.parts().size(); index++) {
            JsonNode part = cost.parts().get(index);
            ObjectNode event = events.addObject().put("id", EventFields.id(part)).put("type", EventFields.type(part));
            event.set("time", AnswerComparison.sameInstant(EventFields.time(part)));
            event.put("provider", text(part, "provider")).put("model", text(part, "model"))
                    .put("kind", text(part, "kind")).put("cost_usd", money(cost.partCosts().get(index)));
        }
        return answer;
    }

    static ObjectNode row(Cost cost) {
        JsonNode call = cost.call();
        ObjectNode row = AnswerComparison.MAPPER.createObjectNode().put("call_id", EventFields.id(call))
                .put("agent_id", text(call, "agent_id")).put("provider", text(call, "provider"))
                .put("status", text(call, "status"));
        row.set("started_at", AnswerComparison.sameInstant(EventFields.time(call)));
        Long millis = cost.durationMillis();
        if (millis == null) {
            row.putNull("duration_seconds");
        } else {
            row.put("duration_seconds", Durations.seconds(millis));
        }
        row.set("components", components(cost.components(), feesPresent(cost.components())));
        row.put("total_cost_usd", money(cost.total()));
        BigDecimal reported = cost.reported();
        row.set("reported_total_cost_usd", reported == null ? NullNode.getInstance()
                : AnswerComparison.MAPPER.getNodeFactory().numberNode(money(reported)));
        row.set("difference_usd", reported == null ? NullNode.getInstance()
                : AnswerComparison.MAPPER.getNodeFactory().numberNode(money(reported.subtract(cost.total()))));
        return row.put("unpriced_events", cost.unpriced());
    }

    static ObjectNode range(StoredState stored, ContractPrices prices, String tenant, LocalDate from, LocalDate to,
                            String agent, int limit, String order) {
        List<Cost> costs = stored.events(tenant, "call", call -> EventFields.inDays(call, from, to)
                        && (agent == null || agent.equals(text(call, "agent_id")))).stream()
                .map(call -> cost(stored, prices, tenant, call)).toList();
        ObjectNode answer = AnswerComparison.MAPPER.createObjectNode().put("from", from.toString())
                .put("to", to.toString());
        Map<String, BigDecimal> totals = sum(costs);
        List<String> fees = feesPresent(totals);
        long millis = millis(costs);
        answer.putObject("totals").put("calls", costs.size()).put("minutes", Durations.minutes(millis))
                .put("total_cost_usd", money(total(totals))).set("cost_per_minute_usd", perMinute(total(totals), millis));
        ((ObjectNode) answer.get("totals")).set("components", components(totals, fees));
        ((ObjectNode) answer.get("totals")).put("unpriced_events", costs.stream().mapToLong(Cost::unpriced).sum());
        ArrayNode days = answer.putArray("by_day");
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            LocalDate date = day;
            List<Cost> ofDay = costs.stream().filter(cost -> EventFields.utcDay(cost.call()).equals(date)).toList();
            Map<String, BigDecimal> sums = sum(ofDay);
            ObjectNode entry = days.addObject().put("date", day.toString());
            entry.set("components", components(sums, fees));
            entry.put("total_cost_usd", money(total(sums))).put("calls", ofDay.size())
                    .put("minutes", Durations.minutes(millis(ofDay)));
        }
        Map<String, List<Cost>> byAgent = new TreeMap<>();
        costs.stream().filter(cost -> text(cost.call(), "agent_id") != null)
                .forEach(cost -> byAgent.computeIfAbsent(text(cost.call(), "agent_id"), any -> new ArrayList<>())
                        .add(cost));
        ArrayNode agents = answer.putArray("by_agent");
        byAgent.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, List<Cost>> entry) -> total(sum(entry.getValue())))
                        .reversed())
                .forEach(entry -> {
                    BigDecimal total = total(sum(entry.getValue()));
                    long agentMillis = millis(entry.getValue());
                    agents.addObject().put("agent_id", entry.getKey()).put("calls", entry.getValue().size())
                            .put("minutes", Durations.minutes(agentMillis)).put("total_cost_usd", money(total))
                            .set("cost_per_minute_usd", perMinute(total, agentMillis));
                });
        Comparator<Cost> byId = Comparator.comparing(cost -> EventFields.id(cost.call()));
        Comparator<Cost> ordered = switch (order) {
            case "cost_asc" -> Comparator.comparing(Cost::total).thenComparing(byId);
            case "started_desc" -> Comparator.comparing((Cost cost) -> EventFields.time(cost.call())).reversed()
                    .thenComparing(byId);
            default -> Comparator.comparing(Cost::total).reversed().thenComparing(byId);
        };
        ArrayNode calls = answer.putArray("calls");
        costs.stream().sorted(ordered).limit(limit).forEach(cost -> calls.add(row(cost)));
        ArrayNode mismatched = answer.putArray("mismatched_calls");
        costs.stream().filter(cost -> cost.reported() != null
                        && cost.reported().subtract(cost.total()).abs().compareTo(CENT) > 0)
                .sorted(Comparator.comparing((Cost cost) -> cost.reported().subtract(cost.total()).abs()).reversed()
                        .thenComparing(byId))
                .limit(limit).forEach(cost -> mismatched.add(row(cost)));
        return answer;
    }

    private static Map<String, BigDecimal> sum(List<Cost> costs) {
        Map<String, BigDecimal> sums = new LinkedHashMap<>();
        USAGE_PARTS.forEach(part -> sums.put(part, BigDecimal.ZERO));
        FEE_KINDS.forEach(kind -> sums.put(kind, BigDecimal.ZERO));
        costs.forEach(cost -> cost.components().forEach((key, value) -> sums.merge(key, value, BigDecimal::add)));
        return sums;
    }

    private static BigDecimal total(Map<String, BigDecimal> components) {
        return components.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static long millis(List<Cost> costs) {
        return costs.stream().map(Cost::durationMillis).filter(java.util.Objects::nonNull).mapToLong(Long::longValue)
                .sum();
    }

    private static List<String> feesPresent(Map<String, BigDecimal> components) {
        return FEE_KINDS.stream().filter(kind -> components.get(kind).signum() != 0).toList();
    }

    private static ObjectNode components(Map<String, BigDecimal> components, List<String> fees) {
        ObjectNode node = AnswerComparison.MAPPER.createObjectNode();
        USAGE_PARTS.forEach(part -> node.put(part, money(components.get(part))));
        fees.forEach(kind -> node.put(kind, money(components.get(kind))));
        return node;
    }

    private static JsonNode perMinute(BigDecimal total, long millis) {
        return millis == 0 ? NullNode.getInstance() : AnswerComparison.MAPPER.getNodeFactory()
                .numberNode(total.multiply(BigDecimal.valueOf(60_000)).divide(BigDecimal.valueOf(millis), 6,
                        RoundingMode.HALF_UP));
    }

    private static BigDecimal money(BigDecimal exact) {
        return exact.setScale(6, RoundingMode.HALF_UP);
    }
}
