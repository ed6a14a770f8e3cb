package dev.tally.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.http.Json;
import dev.tally.pricing.PriceEntry;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tally prices list|add|delete}: the price book's admin routes from the command line. Each
 * subcommand is a method, since each is one request.
 */
@Command(name = "prices", mixinStandardHelpOptions = true, description = "List, add and delete price entries.")
public final class PricesCommand {
    private static final String RATE_NAMES = "input_per_million, cached_input_per_million, cache_creation_per_million,"
            + " output_per_million, input_audio_per_million, output_audio_per_million, credit_multiplier,"
            + " per_audio_minute, per_million_characters, per_segment_outbound, per_segment_inbound,"
            + " per_minute_outbound, per_minute_inbound";

    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the entries in force: the bundled defaults and the operators'.")
    int list(@Mixin AdminClient client,
             @Option(names = "--tenant", description = "Only the platform's entries and this tenant's overrides.")
             String tenantId) {
        String query = tenantId == null ? "" : "?tenant_id=" + URLEncoder.encode(tenantId, StandardCharsets.UTF_8);
        return AdminClient.print(client.send("GET", "/admin/prices" + query, null));
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add an entry with the rates of one unit, e.g. --rate per_audio_minute=0.0043.")
    int add(@Mixin AdminClient client,
            @Option(names = "--provider", required = true, description = "Provider or carrier (openai, twilio, …).")
            String provider,
            @Option(names = "--model", required = true, description = "Exact model, prefix* pattern, or * for all.")
            String model,
            @Option(names = "--effective-from", required = true, description = "First UTC day it applies (YYYY-MM-DD).")
            String effectiveFrom,
            @Option(names = "--tenant", description = "Make it this tenant's override, not a platform entry.")
            String tenantId,
            @Option(names = "--prefix", description = "Call entries: the E.164 prefix of the numbers it prices (+44).")
            String prefix,
            @Option(names = "--rate", required = true, paramLabel = "NAME=USD",
                    description = "A rate by its JSON name, repeatable: " + RATE_NAMES + ".")
            Map<String, String> rates) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("provider", provider).put("model", model)
                .put("effective_from", effectiveFrom).put("tenant_id", tenantId).put("prefix", prefix);
        rates.forEach((name, value) -> body.put(name, rate(name, value)));
        return AdminClient.print(client.send("POST", "/admin/prices", body.toString()));
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete an operator's entry (a bundled default is superseded by a later entry instead).")
    int delete(@Mixin AdminClient client, @Parameters(description = "The entry's id, as list shows it.") String id) {
        // a default's id holds '/' (openai/gpt-4o@2024-08-06), which the route takes as it is
        String path = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
        return AdminClient.print(client.send("DELETE", "/admin/prices/" + path, null));
    }

    /** A misspelt rate would be ignored by the server and price nothing: refused before it is sent. */
    private BigDecimal rate(String name, String value) {
        CommandLine add = spec.subcommands().get("add");
        if (!PriceEntry.rateNames().contains(name)) {
            throw new CommandLine.ParameterException(add, "--rate " + name + ": not a rate; one of " + RATE_NAMES);
        }
        try {
            return new BigDecimal(value.trim());
        } catch (NumberFormatException notANumber) {
            throw new CommandLine.ParameterException(add, "--rate " + name + ": " + value
                    + " is not a number of USD such as 0.0043");
        }
    }
}
