package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bench.EventGenerator;
import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.duckdb.DuckDbEventStore;
import dev.tally.store.rollup.RollupFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tally check} on a stopped server's data directory: agrees, finds a difference, repairs it. */
class CheckCommandTest {

    @Test
    void checkReportsThenRepairsARollupThatDiffersFromTheRawEvents(@TempDir Path directory) {
        DuckDbDatabase database = DuckDbDatabase.open(directory);
        try (DuckDbEventStore store = new DuckDbEventStore(database)) {
            EventGenerator generator = new EventGenerator(3, 3_000, 1_000, RollupFixture.END_MS, 10);
            for (int batch = 0; batch < generator.batches(); batch++) {
                store.write(generator.batch(batch));
            }
        }
        database.close();

        assertThat(check(directory)).startsWith("0\n").contains("every rollup agrees with the raw events");

        DuckDbDatabase tampered = DuckDbDatabase.open(directory);
        tampered.read(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("UPDATE rollup_events SET events = events + 1 WHERE rowid = 0");
            }
            return null;
        });
        tampered.close();

        assertThat(check(directory)).startsWith("1\n").contains("rollup_events").contains("1 groups differ")
                .contains("--repair");
        assertThat(check(directory, "--repair")).startsWith("0\n").contains("repaired");
        assertThat(check(directory)).startsWith("0\n").contains("every rollup agrees");
    }

    @Test
    void aDirectoryWithoutAStoreIsOneClearLine(@TempDir Path directory) {
        assertThat(check(directory.resolve("nothing-here"))).startsWith("2\n");
    }

    /** The exit code, a newline, then what the command printed. */
    private static String check(Path directory, String... more) {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int exit;
        try {
            String[] arguments = new String[more.length + 2];
            arguments[0] = "--data-dir";
            arguments[1] = directory.toString();
            System.arraycopy(more, 0, arguments, 2, more.length);
            exit = new CommandLine(new CheckCommand()).execute(arguments);
        } finally {
            System.setOut(original);
        }
        return exit + "\n" + printed.toString(StandardCharsets.UTF_8);
    }
}
