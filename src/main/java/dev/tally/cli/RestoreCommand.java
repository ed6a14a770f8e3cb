package dev.tally.cli;

import dev.tally.store.duckdb.DuckDbBackups;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tally restore DIR}: loads a backup into a new data directory, for a server started on
 * it afterwards. DuckDB lets one process own a file, so no server may be running on it.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Load a backup made by `tally backup` into a new data directory (no server running on it).")
public final class RestoreCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The backup directory.")
    Path backup;

    @Option(names = "--data-dir", defaultValue = "${env:TALLY_DATA_DIR:-data}",
            description = "The new data directory (default: ${DEFAULT-VALUE}); it must hold no store yet.")
    Path dataDirectory;

    @Override
    public Integer call() {
        try {
            DuckDbBackups.restore(backup, dataDirectory);
        } catch (IllegalArgumentException | IllegalStateException refused) {
            System.err.println("tally restore: " + refused.getMessage());
            return 2;
        }
        System.out.println("restored " + backup.toAbsolutePath() + " into " + dataDirectory.toAbsolutePath()
                + ": start the server with --data-dir " + dataDirectory);
        return 0;
    }
}
