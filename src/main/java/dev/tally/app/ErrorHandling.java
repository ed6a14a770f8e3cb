package dev.tally.app;

import dev.tally.error.Rejection;
import dev.tally.http.ApiError;
import dev.tally.http.ErrorResponse;
import dev.tally.store.BatchWriter;
import dev.tally.store.StoreFailure;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into a JSON answer: bad input is a 4xx naming the field, a store that cannot
 * work is a 503 the client may retry, and anything unexpected is logged and answered with a 500
 * that leaks no internals.
 */
public final class ErrorHandling {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandling.class);

    private ErrorHandling() {
    }

    public static void install(Javalin app, io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.Counter storeFailures = io.micrometer.core.instrument.Counter
                .builder("tally.store.failures").description("Requests the store could not complete (answered 503).")
                .register(registry);
        app.exception(ApiError.class, (error, context) -> ErrorResponse.render(context, error));
        app.exception(Rejection.class, (rejection, context) -> ErrorResponse.render(context, toApiError(rejection)));
        app.exception(BatchWriter.Unavailable.class, (error, context) ->
                ErrorResponse.render(context, new ApiError(503, "unavailable", null, error.getMessage())));
        app.exception(StoreFailure.class, (error, context) -> {
            storeFailures.increment();
            LOG.error("store failure on {} {}", context.method(), context.path(), error);
            ErrorResponse.render(context, new ApiError(503, "store_unavailable", null, "the store could not complete the request; retry"));
        });
        app.exception(com.fasterxml.jackson.core.JsonProcessingException.class, (error, context) ->
                ErrorResponse.render(context, new ApiError(400, "invalid_json", "body", "is not valid JSON: "
                        + error.getOriginalMessage())));
        // Sums are exact integers read with longValueExact: a total past 2^63 of its unit (nine
        // billion dollars in nano-dollars) is refused rather than wrapped into a wrong answer.
        app.exception(ArithmeticException.class, (error, context) -> {
            LOG.warn("a figure overflowed on {} {}: {}", context.method(), context.path(), error.getMessage());
            ErrorResponse.render(context, new ApiError(422, "figure_too_large", null,
                    "a total in this answer is too large to report exactly; ask for a shorter range or a narrower filter"));
        });
        app.exception(HttpResponseException.class, (error, context) ->
                ErrorResponse.render(context, new ApiError(error.getStatus(), "http_" + error.getStatus(), null, error.getMessage())));
        app.exception(Exception.class, (error, context) -> {
            LOG.error("unexpected failure on {} {}", context.method(), context.path(), error);
            ErrorResponse.render(context, new ApiError(500, "internal_error", null, "an unexpected error occurred"));
        });
        app.error(404, context -> {
            if (context.result() == null || context.result().isEmpty()) {
                ErrorResponse.render(context, ApiError.notFound(null, "no route " + context.method() + " " + context.path()));
            }
        });
        app.error(405, context -> ErrorResponse.render(context,
                new ApiError(405, "method_not_allowed", null, context.method() + " is not allowed on " + context.path())));
    }

    /** The status each domain refusal is answered with. */
    static ApiError toApiError(Rejection rejection) {
        return switch (rejection.kind()) {
            case INVALID -> ApiError.badRequest(rejection.field(), rejection.reason());
            case UNAUTHENTICATED -> ApiError.unauthorized(rejection.reason());
            case FORBIDDEN -> ApiError.forbidden(rejection.reason());
            case NOT_FOUND -> ApiError.notFound(rejection.field(), rejection.reason());
            case CONFLICT -> ApiError.conflict(rejection.field(), rejection.reason());
        };
    }
}
