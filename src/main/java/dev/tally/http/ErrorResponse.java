package dev.tally.http;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes an {@link ApiError} in the error shape of the route that failed ({@link ErrorStyle}). */
public final class ErrorResponse {
    private ErrorResponse() {
    }

    public static void render(Context context, ApiError error) {
        ErrorStyle style = context.attribute(ErrorStyle.ATTRIBUTE);
        Map<String, Object> body = new LinkedHashMap<>();
        String message = error.field() == null ? error.reason() : error.field() + ": " + error.reason();
        switch (style == null ? ErrorStyle.TALLY : style) {
            case TALLY -> {
                body.put("error", error.code());
                body.put("field", error.field());
                body.put("reason", error.reason());
                body.put("message", message);
            }
            case SUCCESS_ENVELOPE -> {
                body.put("success", false);
                body.put("message", message);
                body.put("field", error.field());
            }
            case DETAIL -> body.put("detail", message);
        }
        if (error.status() == 401) {
            // The call statistics API (DETAIL style) authenticates with HTTP Basic, everything else with Bearer.
            context.header("WWW-Authenticate", style == ErrorStyle.DETAIL ? "Basic realm=\"tally\"" : "Bearer");
        }
        context.status(error.status()).json(body);
    }
}
