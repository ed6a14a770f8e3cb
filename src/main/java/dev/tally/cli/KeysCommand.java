package dev.tally.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.http.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tally keys create|list|revoke}. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create, list and revoke API keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public final class KeysCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a key; its secret is printed once.")
    static final class Create implements Callable<Integer> {
        @Mixin
        AdminClient client;
        @Option(names = "--tenant", description = "Tenant id; omit for a platform key.")
        String tenantId;
        @Option(names = "--name", required = true, description = "What the key is for.")
        String name;
        @Option(names = "--scope", required = true, split = ",",
                description = "Scopes: events:write, analytics:read, members:read, super-admin.")
        List<String> scopes;
        @Option(names = "--expires-in-days", defaultValue = "90", description = "1–365 (default ${DEFAULT-VALUE}).")
        int expiresInDays;
        @Option(names = "--member", description = "Member id the key acts as (for one's own member usage).")
        String memberId;

        @Override
        public Integer call() {
            ObjectNode body = Json.MAPPER.createObjectNode().put("name", name).put("expires_in_days", expiresInDays);
            if (tenantId != null) {
                body.put("tenant_id", tenantId);
            }
            if (memberId != null) {
                body.put("member_id", memberId);
            }
            ArrayNode scopeArray = body.putArray("scopes");
            scopes.forEach(scopeArray::add);
            return AdminClient.print(client.send("POST", "/admin/api-keys", body.toString()));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets).")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        AdminClient client;
        @Option(names = "--tenant", description = "Only this tenant's keys.")
        String tenantId;

        @Override
        public Integer call() {
            String query = tenantId == null ? "" : "?tenant_id=" + URLEncoder.encode(tenantId, StandardCharsets.UTF_8);
            return AdminClient.print(client.send("GET", "/admin/api-keys" + query, null));
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key at once.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        AdminClient client;
        @Parameters(index = "0", description = "Key id (key_…).")
        String id;

        @Override
        public Integer call() {
            return AdminClient.print(client.send("DELETE", "/admin/api-keys/" + id, null));
        }
    }
}
