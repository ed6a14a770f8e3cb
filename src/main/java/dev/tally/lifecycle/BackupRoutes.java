package dev.tally.lifecycle;

import dev.tally.access.RequestAuth;
import dev.tally.http.ApiError;
import dev.tally.http.JsonBody;
import dev.tally.http.Routes;
import dev.tally.store.EventStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code POST /admin/backups}: a consistent copy of the embedded store, written into a directory
 * of the server's machine while it goes on serving ({@code tally backup DIR} calls it).
 */
public final class BackupRoutes implements Routes {
    private final EventStore store;
    private final RequestAuth auth;

    public BackupRoutes(EventStore store, RequestAuth auth) {
        this.store = store;
        this.auth = auth;
    }

    @Override
    public void register(Javalin app) {
        app.post("/admin/backups", this::backup);
    }

    private void backup(Context context) {
        auth.admin(context);
        Path directory = directory(JsonBody.of(context).requiredText("directory"));
        long started = System.nanoTime();
        boolean written;
        try {
            written = store.backup(directory);
        } catch (IllegalArgumentException refused) {
            throw ApiError.badRequest("directory", refused.getMessage());
        }
        if (!written) {
            throw ApiError.conflict("directory", "the " + store.name() + " store keeps no backups of Tally's own:"
                    + " back up ClickHouse with its own tools");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("directory", directory.toString());
        answer.put("bytes", size(directory));
        answer.put("took_ms", (System.nanoTime() - started) / 1_000_000);
        context.status(201).json(answer);
    }

    private static Path directory(String text) {
        Path directory;
        try {
            directory = Path.of(text);
        } catch (InvalidPathException invalid) {
            throw ApiError.badRequest("directory", "is not a path: " + invalid.getReason());
        }
        if (!directory.isAbsolute()) {
            throw ApiError.badRequest("directory", "must be an absolute path on the server's machine");
        }
        return directory;
    }

    private static long size(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        } catch (IOException unreadable) {
            return -1;
        }
    }
}
