package dev.tally.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.http.Json;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tally backup DIR}: asks the running server for a consistent copy of its embedded store. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Have the running server write a consistent copy of its embedded store into DIR"
                + " (a new or empty directory on the server's machine), while it goes on serving.")
public final class BackupCommand implements Callable<Integer> {
    @Mixin
    AdminClient client;

    @Parameters(index = "0", paramLabel = "DIR", description = "Where the copy goes (made absolute here).")
    Path directory;

    @Override
    public Integer call() {
        ObjectNode body = Json.MAPPER.createObjectNode().put("directory", directory.toAbsolutePath().toString());
        return AdminClient.print(client.send("POST", "/admin/backups", body.toString()));
    }
}
