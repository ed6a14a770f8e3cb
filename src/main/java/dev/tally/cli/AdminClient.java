package dev.tally.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The admin commands' connection to a running server. They go through the HTTP API rather than
 * opening the store because one process owns a DuckDB file: the server's.
 */
public final class AdminClient {

    @Option(names = "--url", defaultValue = "${env:TALLY_URL:-http://127.0.0.1:8080}",
            description = "Tally server (env TALLY_URL, default ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--admin-token", defaultValue = "${env:TALLY_ADMIN_TOKEN}",
            description = "Admin token (env TALLY_ADMIN_TOKEN); default: read from <data-dir>/admin-token.")
    String adminToken;

    @Option(names = "--data-dir", defaultValue = "${env:TALLY_DATA_DIR:-data}",
            description = "Where to find the admin token file (default ${DEFAULT-VALUE}).")
    Path dataDirectory;

    private final HttpClient http = HttpClient.newHttpClient();

    /** The answer's status and body, printed as the server wrote it. */
    public record Answer(int status, String body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    Answer send(String method, String path, String jsonBody) {
        URI target;
        try {
            target = URI.create(url + path);
        } catch (IllegalArgumentException notAUrl) {
            throw new IllegalStateException("--url " + url + " is not a URL such as http://127.0.0.1:8080");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .header("X-Admin-Token", token())
                .header("Content-Type", "application/json");
        HttpRequest.BodyPublisher body = jsonBody == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody);
        try {
            HttpResponse<String> response = http.send(request.method(method, body).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.body());
        } catch (IOException unreachable) {
            throw new IllegalStateException("cannot reach Tally at " + url + ": is `tally serve` running there?"
                    + " (pass --url or set TALLY_URL for another address)", unreachable);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", interrupted);
        }
    }

    private String token() {
        if (adminToken != null && !adminToken.isBlank()) {
            return adminToken;
        }
        Path file = dataDirectory.resolve("admin-token");
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException missing) {
            throw new IllegalStateException("no admin token: pass --admin-token, set TALLY_ADMIN_TOKEN, or name"
                    + " the server's data directory with --data-dir (" + file + " was not readable)");
        }
    }

    /** Prints the answer; exit code 0 on success, 1 on an error answer. */
    static int print(Answer answer) {
        if (answer.ok()) {
            System.out.println(answer.body());
            return 0;
        }
        System.err.println("HTTP " + answer.status() + ": " + answer.body());
        return 1;
    }
}
