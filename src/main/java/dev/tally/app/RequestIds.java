package dev.tally.app;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Every answer carries an {@code X-Request-Id}: the caller's own when it sent a sane one (so its
 * logs and ours share it), else a new one. Log lines written while the request is handled name it
 * ({@code request_id}, through the logging context).
 */
final class RequestIds {
    static final String HEADER = "X-Request-Id";
    static final String ATTRIBUTE = "tally.request_id";
    /** Printable, no spaces or quotes, short: anything else could forge log lines or headers. */
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:/+=-]{1,128}");

    private RequestIds() {
    }

    static void install(Javalin app) {
        app.before(context -> {
            String id = of(context);
            context.attribute(ATTRIBUTE, id);
            context.header(HEADER, id);
            MDC.put("request_id", id);
        });
        app.after(context -> MDC.remove("request_id"));
    }

    private static String of(Context context) {
        String sent = context.header(HEADER);
        return sent != null && SANE.matcher(sent).matches() ? sent : UUID.randomUUID().toString();
    }
}
