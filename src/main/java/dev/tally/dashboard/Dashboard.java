package dev.tally.dashboard;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.util.Map;

/**
 * Where the dashboard's files come from: the jar. Its pages are classpath resources under
 * {@code /dashboard}, and Chart.js is a WebJar, so a running Tally needs no network and no CDN.
 */
public final class Dashboard {
    public static final String PATH = "/dashboard";

    private Dashboard() {
    }

    /** Static files must be configured when the server is created, before any route is registered. */
    public static void configure(JavalinConfig config) {
        config.staticFiles.add(files -> {
            files.hostedPath = PATH;
            files.directory = "/dashboard";
            files.location = Location.CLASSPATH;
            // The pages are small and change with the jar; a stale module next to a fresh one breaks the app.
            files.headers = Map.of("Cache-Control", "no-cache");
        });
        config.staticFiles.enableWebjars();
    }
}
