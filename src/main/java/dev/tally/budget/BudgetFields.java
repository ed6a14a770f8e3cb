package dev.tally.budget;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.http.ApiError;
import dev.tally.http.JsonBody;
import dev.tally.tenant.Budget;
import dev.tally.tenant.BudgetAction;
import dev.tally.tenant.BudgetMeasure;
import dev.tally.tenant.BudgetPeriod;
import dev.tally.tenant.BudgetScope;
import dev.tally.text.UnicodeText;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A budget's fields read from a request body, each wrong one a 400 naming it: a whole definition
 * to create, or the fields a change sets over a stored budget.
 */
final class BudgetFields {
    static final List<BigDecimal> DEFAULT_THRESHOLDS = List.of(new BigDecimal("0.5"), new BigDecimal("0.8"),
            BigDecimal.ONE);
    private static final Set<String> FIELDS = Set.of("tenant_id", "name", "scope", "measure", "period", "timezone",
            "limit", "thresholds", "action");
    private static final Set<String> SCOPE_FIELDS = Set.of("agent_id", "member_id", "attribute");
    /** Attribute names go into SQL as they are (a JSON path), so only plain words. */
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final int MAX_NAME = 200;
    private static final int MAX_ID = 256;
    private static final int MAX_ATTRIBUTES = 10;
    private static final int MAX_THRESHOLDS = 10;
    /** Far above any real budget, and far below what a sum of stored units can hold. */
    private static final BigDecimal MAX_LIMIT = new BigDecimal("1000000000");
    private static final BigDecimal MAX_THRESHOLD = BigDecimal.TEN;

    private BudgetFields() {
    }

    /** Refuses a field this API does not know: a misspelt {@code limt} must not leave a budget without a limit. */
    static void onlyKnown(JsonBody body) {
        body.onlyFields(FIELDS, "budget");
    }

    /** A new budget from a whole definition; the tenant is decided by the caller. */
    static Budget create(JsonBody body, String id, String tenantId, long nowMs) {
        onlyKnown(body);
        String name = name(body.requiredText("name"));
        BudgetMeasure measure = measure(required(body, "measure"));
        BudgetPeriod period = period(required(body, "period"));
        BigDecimal limit = limit(body.raw("limit"), measure);
        return new Budget(id, tenantId, name, body.has("scope") ? scope(body.raw("scope")) : BudgetScope.everything(),
                measure, period, body.has("timezone") ? timezone(body.text("timezone")) : ZoneId.of("UTC"), limit,
                body.has("thresholds") ? thresholds(body.raw("thresholds")) : DEFAULT_THRESHOLDS,
                body.has("action") ? action(body.text("action")) : BudgetAction.ALERT, nowMs, nowMs);
    }

    /** The stored budget with the fields the body sets; absent fields keep their value. */
    static Budget change(Budget stored, JsonBody body, long nowMs) {
        onlyKnown(body);
        String tenantId = body.text("tenant_id");
        if (tenantId != null && !tenantId.equals(stored.tenantId())) {
            throw ApiError.badRequest("tenant_id", "cannot change: a budget stays with its tenant");
        }
        BudgetMeasure measure = body.has("measure") ? measure(body.text("measure")) : stored.measure();
        // a limit stays valid only for the measure it was given in: one of 0.0000001 credits cannot be kept
        BigDecimal limit = body.has("limit") ? limit(body.raw("limit"), measure) : limit(stored.limit(), measure, "limit");
        return new Budget(stored.id(), stored.tenantId(), body.has("name") ? name(body.text("name")) : stored.name(),
                body.has("scope") ? scope(body.raw("scope")) : stored.scope(), measure,
                body.has("period") ? period(body.text("period")) : stored.period(),
                body.has("timezone") ? timezone(body.text("timezone")) : stored.timezone(), limit,
                body.has("thresholds") ? thresholds(body.raw("thresholds")) : stored.thresholds(),
                body.has("action") ? action(body.text("action")) : stored.action(), stored.createdMs(), nowMs);
    }

    private static String required(JsonBody body, String field) {
        return body.requiredText(field);
    }

    private static String name(String name) {
        if (name == null || name.isBlank()) {
            throw ApiError.badRequest("name", "is required");
        }
        if (name.length() > MAX_NAME) {
            throw ApiError.badRequest("name", "must be at most " + MAX_NAME + " characters");
        }
        return name;
    }

    private static BudgetMeasure measure(String text) {
        return BudgetMeasure.fromWire(text).orElseThrow(() -> ApiError.badRequest("measure",
                "must be cost_usd or credits"));
    }

    private static BudgetPeriod period(String text) {
        return BudgetPeriod.fromWire(text).orElseThrow(() -> ApiError.badRequest("period",
                "must be day, week or month"));
    }

    private static BudgetAction action(String text) {
        return BudgetAction.fromWire(text).orElseThrow(() -> ApiError.badRequest("action",
                "must be alert or block_calls"));
    }

    private static ZoneId timezone(String text) {
        if (text == null || text.isBlank()) {
            throw ApiError.badRequest("timezone", "must be an IANA time zone such as Europe/Paris");
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException unknown) {
            throw ApiError.badRequest("timezone", "is not an IANA time zone (such as Europe/Paris): " + text);
        }
    }

    private static BigDecimal limit(JsonNode node, BudgetMeasure measure) {
        if (node == null) {
            throw ApiError.badRequest("limit", "is required");
        }
        if (!node.isNumber()) {
            throw ApiError.badRequest("limit", "must be a number");
        }
        return limit(node.decimalValue(), measure, "limit");
    }

    private static BigDecimal limit(BigDecimal limit, BudgetMeasure measure, String field) {
        if (limit.signum() <= 0) {
            throw ApiError.badRequest(field, "must be greater than 0");
        }
        if (limit.compareTo(MAX_LIMIT) > 0) {
            throw ApiError.badRequest(field, "must be at most " + MAX_LIMIT.toPlainString());
        }
        BigDecimal exact = limit.stripTrailingZeros();
        if (measure.amount(measure.units(exact)).compareTo(exact) != 0) {
            throw ApiError.badRequest(field, "has more decimals than " + measure.wireName() + " is counted in");
        }
        return exact.scale() < 0 ? exact.setScale(0) : exact;
    }

    private static List<BigDecimal> thresholds(JsonNode node) {
        if (node == null || !node.isArray()) {
            throw ApiError.badRequest("thresholds", "must be an array of numbers, such as [0.5, 0.8, 1.0]");
        }
        if (node.size() > MAX_THRESHOLDS) {
            throw ApiError.badRequest("thresholds", "must hold at most " + MAX_THRESHOLDS + " numbers");
        }
        List<BigDecimal> thresholds = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isNumber()) {
                throw ApiError.badRequest("thresholds", "must be an array of numbers, such as [0.5, 0.8, 1.0]");
            }
            BigDecimal threshold = element.decimalValue().stripTrailingZeros();
            if (threshold.signum() <= 0 || threshold.compareTo(MAX_THRESHOLD) > 0) {
                throw ApiError.badRequest("thresholds", "each must be a share of the limit above 0 and at most "
                        + MAX_THRESHOLD + " (1.0 is the limit)");
            }
            if (!thresholds.isEmpty() && threshold.compareTo(thresholds.get(thresholds.size() - 1)) <= 0) {
                throw ApiError.badRequest("thresholds", "must be in ascending order, each once");
            }
            thresholds.add(threshold.scale() < 0 ? threshold.setScale(0) : threshold);
        }
        return thresholds;
    }

    private static BudgetScope scope(JsonNode node) {
        if (node == null) {
            return BudgetScope.everything();
        }
        if (!node.isObject()) {
            throw ApiError.badRequest("scope", "must be an object with agent_id, member_id or attribute");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!SCOPE_FIELDS.contains(name)) {
                throw ApiError.badRequest("scope." + name, "is not a scope field (agent_id, member_id, attribute)");
            }
        });
        Map<String, String> attributes = new LinkedHashMap<>();
        JsonNode attribute = node.get("attribute");
        if (attribute != null && !attribute.isNull()) {
            if (!attribute.isObject()) {
                throw ApiError.badRequest("scope.attribute", "must be an object of names to string values");
            }
            if (attribute.size() > MAX_ATTRIBUTES) {
                throw ApiError.badRequest("scope.attribute", "must name at most " + MAX_ATTRIBUTES + " attributes");
            }
            attribute.fields().forEachRemaining(entry -> {
                String field = "scope.attribute." + entry.getKey();
                if (!ATTRIBUTE_NAME.matcher(entry.getKey()).matches()) {
                    throw ApiError.badRequest(field, "an attribute name is 1 to 64 letters, digits, '_', '.' or '-'");
                }
                if (!entry.getValue().isTextual() || entry.getValue().textValue().isEmpty()
                        || entry.getValue().textValue().length() > MAX_ID) {
                    throw ApiError.badRequest(field, "must be a non-empty string of at most " + MAX_ID + " characters");
                }
                unicode(field, entry.getValue().textValue());
                attributes.put(entry.getKey(), entry.getValue().textValue());
            });
        }
        return new BudgetScope(id(node, "agent_id"), id(node, "member_id"), attributes);
    }

    private static String id(JsonNode scope, String field) {
        JsonNode value = scope.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.textValue().isEmpty() || value.textValue().length() > MAX_ID) {
            throw ApiError.badRequest("scope." + field, "must be a non-empty string of at most " + MAX_ID
                    + " characters");
        }
        return unicode("scope." + field, value.textValue());
    }

    private static String unicode(String field, String text) {
        String problem = UnicodeText.problem(text, true);
        if (problem != null) {
            throw ApiError.badRequest(field, problem);
        }
        return text;
    }
}
