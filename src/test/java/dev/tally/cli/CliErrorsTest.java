package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command that cannot do its job says why in one line and exits 1: never a Java stack trace. */
class CliErrorsTest {

    @Test
    void noServerAtTheUrlIsOneLine() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String[] run = run("tenants", "list", "--url", "http://127.0.0.1:" + closedPort, "--admin-token", "t");
        assertThat(run[0]).isEqualTo("1");
        assertThat(run[2].strip().lines()).hasSize(1);
        assertThat(run[2]).contains("cannot reach Tally at http://127.0.0.1:" + closedPort).doesNotContain("Exception");
    }

    @Test
    void noAdminTokenIsOneLine(@TempDir Path empty) {
        String[] run = run("keys", "list", "--url", "http://127.0.0.1:9", "--data-dir", empty.toString());
        assertThat(run[0]).isEqualTo("1");
        assertThat(run[2].strip().lines()).hasSize(1);
        assertThat(run[2]).contains("no admin token").contains("--admin-token").doesNotContain("\tat ");
    }

    @Test
    void aUrlThatIsNoUrlIsOneLine() {
        String[] run = run("tenants", "list", "--url", "http://bad host:8080", "--admin-token", "t");
        assertThat(run[0]).isEqualTo("1");
        assertThat(run[2].strip().lines()).hasSize(1);
        assertThat(run[2]).contains("--url").doesNotContain("\tat ");
    }

    /** Exit code, standard output, standard error. */
    private static String[] run(String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.commandLine().execute(arguments);
            return new String[] {String.valueOf(exit), out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
