package dev.tally.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.http.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tally integrations set|list|delete}: the secrets a tenant's Vapi, Retell and Twilio webhooks are checked with. */
@Command(name = "integrations", mixinStandardHelpOptions = true,
        description = "Set, list and delete a tenant's webhook secrets (vapi, retell, twilio).")
public final class IntegrationsCommand {

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Set the secret a provider's webhooks for the tenant are checked with.")
    int set(@Mixin AdminClient client,
            @Parameters(index = "0", paramLabel = "<tenant_id>", description = "Tenant id.") String tenantId,
            @Parameters(index = "1", paramLabel = "<provider>", description = "vapi, retell or twilio.") String provider,
            @Option(names = "--secret", defaultValue = "${env:TALLY_INTEGRATION_SECRET}",
                    description = "Vapi's server secret (X-Vapi-Secret), Retell's API key or Twilio's auth token"
                            + " (env TALLY_INTEGRATION_SECRET, which keeps it out of the shell's history).")
            String secret) {
        if (secret == null || secret.isEmpty()) {
            System.err.println("integrations set: pass --secret or set TALLY_INTEGRATION_SECRET");
            return 2;
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("secret", secret);
        return AdminClient.print(client.send("PUT", path(tenantId, provider), body.toString()));
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Say which providers have a secret set for the tenant (never the secrets).")
    int list(@Mixin AdminClient client, @Parameters(index = "0", paramLabel = "<tenant_id>", description = "Tenant id.") String tenantId) {
        return AdminClient.print(client.send("GET", "/admin/tenants/" + segment(tenantId) + "/integrations", null));
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a provider's secret: its webhooks for the tenant are refused from then on.")
    int delete(@Mixin AdminClient client,
               @Parameters(index = "0", paramLabel = "<tenant_id>", description = "Tenant id.") String tenantId,
               @Parameters(index = "1", paramLabel = "<provider>", description = "vapi, retell or twilio.") String provider) {
        AdminClient.Answer answer = client.send("DELETE", path(tenantId, provider), null);
        if (!answer.ok()) {
            return AdminClient.print(answer);
        }
        System.out.println("Deleted the " + provider + " secret of tenant " + tenantId + ".");
        return 0;
    }

    private static String path(String tenantId, String provider) {
        return "/admin/tenants/" + segment(tenantId) + "/integrations/" + segment(provider);
    }

    private static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
