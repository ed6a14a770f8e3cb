package dev.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.http.Json;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The import route's answer as a person reads it: counts first, then one line per added or changed entry. */
final class ImportSummary {
    private static final List<String> NOT_RATES = List.of("id", "tenant_id", "provider", "model", "effective_from",
            "unit", "prefix", "source");

    private ImportSummary() {
    }

    static String of(String answerJson) {
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(answerJson);
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
            throw new UncheckedIOException(notJson);
        }
        boolean dryRun = answer.path("dry_run").asBoolean();
        StringBuilder text = new StringBuilder();
        text.append(dryRun ? "Dry run, nothing stored. Would add " : "Added ")
                .append(answer.path("added").size()).append(dryRun ? ", change " : ", changed ")
                .append(answer.path("changed").size()).append(", leave ").append(answer.path("unchanged").asInt())
                .append(" unchanged, of ").append(answer.path("read").asInt()).append(" entries read from the ")
                .append(answer.path("format").asText()).append(" catalog.\n");
        int skipped = 0;
        List<String> reasons = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> skips = answer.path("skipped").fields();
        while (skips.hasNext()) {
            Map.Entry<String, JsonNode> reason = skips.next();
            skipped += reason.getValue().asInt();
            reasons.add("  " + reason.getValue().asInt() + " " + reason.getKey());
        }
        if (skipped > 0) {
            text.append("Left out ").append(skipped).append(" source entries:\n");
            reasons.forEach(reason -> text.append(reason).append('\n'));
        }
        for (JsonNode added : answer.path("added")) {
            text.append("+ ").append(describe(added)).append('\n');
        }
        for (JsonNode change : answer.path("changed")) {
            text.append("~ ").append(describe(change.path("before"))).append('\n')
                    .append("  → ").append(rates(change.path("after"))).append('\n');
        }
        return text.toString();
    }

    private static String describe(JsonNode entry) {
        return entry.path("unit").asText() + " " + entry.path("provider").asText() + "/" + entry.path("model").asText()
                + (entry.path("prefix").isTextual() ? " " + entry.path("prefix").asText() : "")
                + " from " + entry.path("effective_from").asText() + ": " + rates(entry);
    }

    private static String rates(JsonNode entry) {
        List<String> rates = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = entry.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!NOT_RATES.contains(field.getKey()) && !field.getValue().isNull()) {
                rates.add(field.getKey() + " " + field.getValue().asText());
            }
        }
        return String.join(", ", rates);
    }
}
