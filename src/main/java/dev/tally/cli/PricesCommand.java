package dev.tally.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.http.Json;
import dev.tally.pricing.PriceEntry;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code tally prices list|add|delete|import}: the price book's admin routes from the command line. Each
 * subcommand is a method, since each is one request.
 */
@Command(name = "prices", mixinStandardHelpOptions = true, description = "List, add, delete and import price entries.")
public final class PricesCommand {
    private static final String RATE_NAMES = "input_per_million, cached_input_per_million, cache_creation_per_million,"
            + " output_per_million, input_audio_per_million, output_audio_per_million, credit_multiplier,"
            + " long_context_threshold_tokens, long_context_input_per_million, long_context_output_per_million,"
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

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import a public price catalog as dated platform entries; importing it again changes nothing.")
    int importCatalog(@Mixin AdminClient client,
                      @Parameters(paramLabel = "FILE", description = "The catalog file.") Path file,
                      @Option(names = "--format", required = true, paramLabel = "litellm|genai-prices|tally",
                              description = "litellm: LiteLLM's model_prices_and_context_window.json;"
                                      + " genai-prices: the @pydantic/genai-prices data; tally: Tally's own catalog.")
                      String format,
                      @Option(names = "--dry-run", description = "Print what would change and store nothing.")
                      boolean dryRun,
                      @Option(names = "--catalog-version", paramLabel = "VERSION",
                              description = "The catalog's version or commit, kept as each entry's source.")
                      String version,
                      @Option(names = "--json", description = "Print the server's answer as JSON.")
                      boolean json) {
        String body;
        try {
            body = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new CommandLine.ParameterException(spec.subcommands().get("import"),
                    "FILE " + file + ": cannot read it (" + unreadable.getMessage() + ")");
        }
        String query = "?format=" + URLEncoder.encode(format, StandardCharsets.UTF_8) + "&dry_run=" + dryRun
                + (version == null ? "" : "&version=" + URLEncoder.encode(version, StandardCharsets.UTF_8));
        AdminClient.Answer answer = client.send("POST", "/admin/prices/import" + query, body);
        if (json || !answer.ok()) {
            return AdminClient.print(answer);
        }
        System.out.print(ImportSummary.of(answer.body()));
        return 0;
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
