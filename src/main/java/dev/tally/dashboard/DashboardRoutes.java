package dev.tally.dashboard;

import dev.tally.http.Routes;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The routes around the dashboard's static files: {@code /} leads to the dashboard, the OpenAPI
 * document is served at {@code /openapi.json}, and {@code /docs} renders it as a readable page.
 */
public final class DashboardRoutes implements Routes {
    private static final String OPENAPI_RESOURCE = "/openapi.json";
    private static final String DOCS_RESOURCE = "/dashboard/docs.html";

    private final byte[] openApi = resource(OPENAPI_RESOURCE);
    private final byte[] docs = resource(DOCS_RESOURCE);

    @Override
    public void register(Javalin app) {
        app.get("/", context -> context.redirect(Dashboard.PATH + "/", HttpStatus.FOUND));
        app.get("/openapi.json", context -> send(context, "application/json", openApi));
        app.get("/docs", context -> send(context, "text/html; charset=utf-8", docs));
    }

    private static void send(Context context, String contentType, byte[] body) {
        context.contentType(contentType).result(body);
    }

    /** Read once at start: a jar without its document is a broken build, and should not start. */
    static byte[] resource(String name) {
        try (InputStream stream = DashboardRoutes.class.getResourceAsStream(name)) {
            if (stream == null) {
                throw new IllegalStateException("missing resource " + name + " in the jar");
            }
            return stream.readAllBytes();
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }
}
