package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The server's memory is bounded by configuration, not by the machine: DuckDB's buffers are capped
 * at {@code --duckdb-memory-limit}, and a value DuckDB would misread is refused before anything opens.
 */
class DuckDbMemoryLimitTest {

    @Test
    void theLimitIsDuckDbsMemoryLimit(@TempDir Path directory) throws Exception {
        try (DuckDbDatabase database = DuckDbDatabase.open(directory, "300MB")) {
            String limit = database.read(connection -> {
                try (Statement statement = connection.createStatement();
                     ResultSet result = statement.executeQuery("SELECT current_setting('memory_limit')")) {
                    result.next();
                    return result.getString(1);
                }
            });
            // DuckDB reports decimal megabytes in binary units: 300 MB = 286.1 MiB
            assertThat(limit).isEqualTo("286.1 MiB");
        }
    }

    @Test
    void anythingButASizeIsRefused(@TempDir Path directory) {
        assertThat(DuckDbDatabase.isMemorySize("2GB")).isTrue();
        assertThat(DuckDbDatabase.isMemorySize("1.5 GiB")).isTrue();
        assertThat(DuckDbDatabase.isMemorySize("lots")).isFalse();
        assertThat(DuckDbDatabase.isMemorySize("1GB'; DROP TABLE events; --")).isFalse();
        assertThatThrownBy(() -> DuckDbDatabase.open(directory, "2 elephants"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 elephants");
    }

    @Test
    void serveRefusesABadLimitNamingTheOption(@TempDir Path directory) {
        StringWriter errors = new StringWriter();
        int exitCode = new CommandLine(new Main()).setErr(new PrintWriter(errors))
                .execute("serve", "--port", "0", "--data-dir", directory.toString(), "--duckdb-memory-limit", "lots");
        assertThat(exitCode).isEqualTo(2);
        assertThat(errors.toString()).contains("--duckdb-memory-limit").contains("'lots'");
    }
}
