package dev.tally.report.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The AI usage report (spec 004, README "AI usage") from the stored LLM requests and messages:
 * text tokens are input (cached included) + cache creation + output; cached and audio tokens apart;
 * credits and cost as ingest priced them ({@link ContractPrices}); a request without a kind counts as
 * chat. Providers and models come most credits first; equals in any order, so {@link #canonical}
 * puts both answers' equals in one order before they are compared.
 */
final class AiUsageOracle {
    static final int TOP_MODELS = 10;

    private AiUsageOracle() {
    }

    static ObjectNode expected(StoredState stored, ContractPrices prices, String tenant, LocalDate start,
                               LocalDate end) {
        List<JsonNode> requests = stored.events(tenant, "llm", llm -> EventFields.inDays(llm, start, end));
        Totals totals = new Totals(prices, tenant, requests);
        ObjectNode answer = AnswerComparison.MAPPER.createObjectNode().put("start_date", start.toString())
                .put("end_date", end.toString())
                .put("total_messages", stored.events(tenant, "message", message -> EventFields.inDays(message, start,
                        end)).size())
                .put("total_tokens", totals.textTokens)
                .put("total_cached_tokens", Groups.sum(requests, "cached_input_tokens"))
                .put("total_audio_input_tokens", Groups.sum(requests, "input_audio_tokens"))
                .put("total_audio_output_tokens", Groups.sum(requests, "output_audio_tokens"))
                .put("total_credits", totals.credits)
                .put("unpriced_requests", requests.stream().filter(llm -> !prices.price(tenant, llm).priced()).count())
                .put("total_cost_usd", totals.cost);
        ArrayNode providers = answer.putArray("by_provider");
        Groups.by(requests, llm -> EventFields.text(llm, "provider")).forEach((provider, ofProvider) -> {
            Totals ofGroup = new Totals(prices, tenant, ofProvider);
            providers.addObject().put("provider", provider).put("requests", ofProvider.size())
                    .put("total_tokens", ofGroup.textTokens).put("total_credits", ofGroup.credits)
                    .put("total_cost_usd", ofGroup.cost);
        });
        ArrayNode types = answer.putArray("by_type");
        for (String type : List.of("chat", "realtime")) {
            Totals ofType = new Totals(prices, tenant, requests.stream().filter(llm -> type.equals(kind(llm))).toList());
            types.addObject().put("type", type).put("requests", ofType.requests).put("total_tokens", ofType.textTokens)
                    .put("total_credits", ofType.credits);
        }
        ArrayNode models = answer.putArray("top_models");
        Groups.forEach(Groups.by(requests, llm -> Groups.key(EventFields.text(llm, "model"),
                EventFields.text(llm, "provider"))), (key, ofModel) -> {
            Totals ofGroup = new Totals(prices, tenant, ofModel);
            models.addObject().put("model", key[0]).put("provider", key[1]).put("requests", ofModel.size())
                    .put("total_tokens", ofGroup.textTokens).put("total_credits", ofGroup.credits);
        });
        return canonical(answer);
    }

    private static String kind(JsonNode llm) {
        String kind = EventFields.text(llm, "kind");
        return kind == null ? "chat" : kind;
    }

    /** The breakdowns sorted most credits first, equals by name; top models cut to ten. */
    static ObjectNode canonical(ObjectNode answer) {
        ObjectNode copy = answer.deepCopy();
        copy.set("by_provider", sorted(copy.path("by_provider"), "provider"));
        ArrayNode models = sorted(copy.path("top_models"), "model");
        while (models.size() > TOP_MODELS) {
            models.remove(models.size() - 1);
        }
        copy.set("top_models", models);
        return copy;
    }

    private static ArrayNode sorted(JsonNode rows, String name) {
        Map<String, JsonNode> byName = new TreeMap<>();
        rows.forEach(row -> byName.put(row.path(name).asText() + "\t" + row.path("provider").asText(), row));
        ArrayNode sorted = AnswerComparison.MAPPER.createArrayNode();
        byName.values().stream()
                .sorted(Comparator.comparing((JsonNode row) -> row.path("total_credits").decimalValue()).reversed())
                .forEach(sorted::add);
        return sorted;
    }

    /** What every breakdown of the report sums over its requests. */
    private static final class Totals {
        final long requests;
        final long textTokens;
        final BigDecimal credits;
        final BigDecimal cost;

        Totals(ContractPrices prices, String tenant, List<JsonNode> requests) {
            this.requests = requests.size();
            textTokens = Groups.sum(requests, llm -> EventFields.count(llm, "input_tokens")
                    + EventFields.count(llm, "cache_creation_input_tokens") + EventFields.count(llm, "output_tokens"));
            credits = Groups.sumDecimal(requests, llm -> prices.price(tenant, llm).credits());
            cost = Groups.sumDecimal(requests, llm -> prices.price(tenant, llm).cost());
        }
    }
}
