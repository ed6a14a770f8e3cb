package dev.tally.cli;

import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.duckdb.DuckDbEventStore;
import dev.tally.store.duckdb.RollupCheck;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tally check}: recomputes every rollup of an embedded store from its raw tables and reports
 * the groups that differ; {@code --repair} replaces them. DuckDB lets one process own a file, so it
 * runs on the data directory of a stopped server.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Recompute every rollup from the raw events of a stopped server's data directory and"
                + " report (with --repair, fix) any difference.")
public final class CheckCommand implements Callable<Integer> {
    @Option(names = "--data-dir", defaultValue = "${env:TALLY_DATA_DIR:-data}",
            description = "The data directory of the store to check (default: ${DEFAULT-VALUE}).")
    Path dataDirectory;

    @Option(names = "--repair", description = "Replace the rollup groups that differ from the raw events.")
    boolean repair;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (!Files.isRegularFile(dataDirectory.resolve("tally.duckdb"))) {
            System.err.println("tally check: no store in " + dataDirectory.toAbsolutePath()
                    + " (no tally.duckdb); name the server's data directory with --data-dir");
            return 2;
        }
        DuckDbDatabase database;
        try {
            database = DuckDbDatabase.open(dataDirectory);
        } catch (IllegalStateException locked) {
            System.err.println("tally check: cannot open the store in " + dataDirectory.toAbsolutePath()
                    + ": a running server holds it, or it is unreadable; stop the server first ("
                    + firstLine(locked.getMessage()) + ")");
            return 2;
        }
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            RollupCheck.Result result = store.checkRollups(repair);
            for (Map.Entry<String, Long> table : result.differences().entrySet()) {
                out.printf("%-28s %s%n", table.getKey(), table.getValue() == 0 ? "ok"
                        : table.getValue() + " groups differ" + (result.repaired() ? ", repaired" : ""));
            }
            if (result.total() == 0) {
                out.printf("every rollup agrees with the raw events (checked in %d ms)%n", result.milliseconds());
                return 0;
            }
            out.printf("%d groups differed%s (checked in %d ms)%n", result.total(),
                    result.repaired() ? " and were repaired" : "; run again with --repair to fix them",
                    result.milliseconds());
            out.flush();
            return result.repaired() ? 0 : 1;
        } finally {
            database.close();
        }
    }

    private static String firstLine(String message) {
        return message == null ? "unknown error" : message.lines().findFirst().orElse(message);
    }
}
