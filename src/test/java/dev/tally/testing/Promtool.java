package dev.tally.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Prometheus' own checker on a scrape; it comes with Debian's prometheus package, which .ci/run installs: without it this fails. */
public final class Promtool {
    private Promtool() {
    }

    /** Fails unless {@code promtool check metrics} finds no problem at all in the scrape. */
    public static void assertNoProblem(String scrape, Path directory) throws IOException, InterruptedException {
        Path file = directory.resolve("metrics.txt");
        Files.writeString(file, scrape);
        Process check = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String problems = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor()).as(problems).isZero();
        assertThat(problems).isBlank();
    }
}
