package dev.tally.tenant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A budget's definition as one JSON text, how every store keeps it: the stores need not learn a
 * column per field, and a field added later is read with its default from rows written before.
 */
public final class BudgetDocument {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BudgetDocument() {
    }

    /** The definition without id, tenant and times, which stores keep in columns of their own. */
    public static String of(Budget budget) {
        ObjectNode json = MAPPER.createObjectNode().put("name", budget.name());
        ObjectNode scope = json.putObject("scope");
        scope.put("agent_id", budget.scope().agentId()).put("member_id", budget.scope().memberId());
        ObjectNode attributes = scope.putObject("attribute");
        budget.scope().attributes().forEach(attributes::put);
        json.put("measure", budget.measure().wireName()).put("period", budget.period().wireName())
                .put("timezone", budget.timezone().getId())
                // a string: exact whatever the JSON reader does with numbers
                .put("limit", budget.limit().toPlainString());
        budget.thresholds().forEach(threshold -> json.withArray("thresholds").add(threshold.toPlainString()));
        json.put("action", budget.action().wireName());
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    public static Budget read(String id, String tenantId, String document, long createdMs, long updatedMs) {
        JsonNode json;
        try {
            json = MAPPER.readTree(document);
        } catch (JsonProcessingException corrupt) {
            throw new IllegalStateException("budget " + id + " holds no JSON definition", corrupt);
        }
        JsonNode scope = json.path("scope");
        Map<String, String> attributes = new LinkedHashMap<>();
        scope.path("attribute").fields().forEachRemaining(field -> attributes.put(field.getKey(), field.getValue().asText()));
        List<BigDecimal> thresholds = new ArrayList<>();
        json.path("thresholds").forEach(threshold -> thresholds.add(new BigDecimal(threshold.asText())));
        return new Budget(id, tenantId, json.path("name").asText(),
                new BudgetScope(text(scope, "agent_id"), text(scope, "member_id"), attributes),
                BudgetMeasure.fromWire(json.path("measure").asText()).orElseThrow(),
                BudgetPeriod.fromWire(json.path("period").asText()).orElseThrow(),
                ZoneId.of(json.path("timezone").asText("UTC")), new BigDecimal(json.path("limit").asText()),
                thresholds, BudgetAction.fromWire(json.path("action").asText()).orElseThrow(), createdMs, updatedMs);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
