package dev.tally.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Tally server in a child JVM, so its memory is its own: peak RSS is read from {@code /proc}.
 * Started from this JVM's own class path; stopped with SIGTERM, which runs Tally's graceful close.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private volatile long peakRssKb;
    private double readySeconds;
    private final Thread sampler;
    private final Thread stopOnExit;

    /** @param storeArguments {@code serve} options choosing the store; empty for the embedded DuckDB store */
    ServerProcess(Path dataDirectory, int port, String adminToken, String heap, List<String> storeArguments)
            throws IOException, InterruptedException {
        this.port = port;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), "dev.tally.Main", "serve",
                "--port", String.valueOf(port), "--data-dir", dataDirectory.toString(), "--admin-token", adminToken));
        command.addAll(storeArguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDirectory.resolveSibling("server.log").toFile());
        builder.environment().putIfAbsent("TALLY_LOG_LEVEL", "WARN");
        // the store's environment variables must not override the bench's own choice
        builder.environment().remove("TALLY_STORE");
        builder.environment().remove("TALLY_CLICKHOUSE_URL");
        builder.environment().remove("TALLY_CLICKHOUSE_CLUSTER");
        builder.environment().remove("TALLY_CLICKHOUSE_DATABASE");
        this.process = builder.start();
        // the child must not outlive an interrupted bench
        this.stopOnExit = new Thread(process::destroyForcibly, "bench-server-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        this.sampler = new Thread(this::sample, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        HttpClient client = HttpClient.newHttpClient();
        // a server opening a store of 100M events reads every id fingerprint first: minutes, not seconds
        for (int attempt = 0; attempt < 18_000; attempt++) {
            try {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    awaitReady(client, port, attempt);
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited; see server.log");
            }
            Thread.sleep(100);
        }
        close();
        throw new IllegalStateException("the server did not start within 30 minutes");
    }

    /**
     * Waits for {@code /api/v1/ready}: a ClickHouse server loads its known ids in the background
     * once it answers, as DuckDB loads its own before it answers; writes sent before would wait.
     */
    private void awaitReady(HttpClient client, int port, int attemptsUsed) throws IOException, InterruptedException {
        long started = System.nanoTime();
        for (int attempt = attemptsUsed; attempt < 18_000; attempt++) {
            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/ready")).build(), HttpResponse.BodyHandlers.ofString());
            if (ready.statusCode() == 200) {
                readySeconds = (System.nanoTime() - started) / 1e9;
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited; see server.log");
            }
            Thread.sleep(100);
        }
        close();
        throw new IllegalStateException("the server was not ready within 30 minutes");
    }

    /** Seconds from the server's first answer to its readiness (its store's preparation for writes). */
    double readySeconds() {
        return readySeconds;
    }

    private void sample() {
        Path status = Path.of("/proc", String.valueOf(process.pid()), "status");
        while (process.isAlive()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        peakRssKb = Math.max(peakRssKb, Long.parseLong(line.replaceAll("[^0-9]", "")));
                    }
                }
                Thread.sleep(200);
            } catch (IOException | InterruptedException | NumberFormatException gone) {
                return;
            }
        }
    }

    int port() {
        return port;
    }

    long peakRssKb() {
        return peakRssKb;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException exiting) {
            // already shutting down: the hook kills the child
        }
        process.destroy();
        try {
            if (!process.waitFor(Duration.ofMinutes(3).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException interrupted) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
