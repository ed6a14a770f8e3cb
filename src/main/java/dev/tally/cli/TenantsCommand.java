package dev.tally.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.http.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tally tenants create|list}. */
@Command(name = "tenants", mixinStandardHelpOptions = true, description = "Create and list tenants.",
        subcommands = {TenantsCommand.Create.class, TenantsCommand.ListTenants.class})
public final class TenantsCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a tenant.")
    static final class Create implements Callable<Integer> {
        @Mixin
        AdminClient client;
        @Parameters(index = "0", description = "Tenant id (letters, digits, '.', '_', '-').")
        String id;
        @Option(names = "--name", required = true, description = "Display name.")
        String name;
        @Option(names = "--max-concurrent-calls", description = "The tenant's concurrent call limit.")
        Integer maxConcurrentCalls;

        @Override
        public Integer call() {
            ObjectNode body = Json.MAPPER.createObjectNode().put("id", id).put("name", name);
            if (maxConcurrentCalls != null) {
                body.put("max_concurrent_calls", maxConcurrentCalls);
            }
            return AdminClient.print(client.send("POST", "/admin/tenants", body.toString()));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tenants.")
    static final class ListTenants implements Callable<Integer> {
        @Mixin
        AdminClient client;

        @Override
        public Integer call() {
            return AdminClient.print(client.send("GET", "/admin/tenants", null));
        }
    }
}
