package dev.tally.budget.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.http.ApiError;
import dev.tally.http.JsonBody;
import dev.tally.tenant.WebhookEvent;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** A webhook's fields read from a request body, each wrong one a 400 naming it. */
final class WebhookFields {
    private static final Set<String> FIELDS = Set.of("tenant_id", "url", "events");
    private static final int MAX_URL = 2048;
    private static final String EVENT_NAMES = Arrays.stream(WebhookEvent.values()).map(WebhookEvent::wireName)
            .collect(Collectors.joining(", "));

    private WebhookFields() {
    }

    /** Refuses a field this API does not know: a misspelt {@code event} must not leave a webhook deaf. */
    static void onlyKnown(JsonBody body) {
        body.onlyFields(FIELDS, "webhook");
    }

    /** An absolute http or https URL, as the deliverer will call it. */
    static String url(String text) {
        if (text == null || text.isBlank()) {
            throw ApiError.badRequest("url", "is required");
        }
        if (text.length() > MAX_URL) {
            throw ApiError.badRequest("url", "must be at most " + MAX_URL + " characters");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException malformed) {
            throw ApiError.badRequest("url", "is not a URL: " + malformed.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw ApiError.badRequest("url", "must be an absolute http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw ApiError.badRequest("url", "must name a host");
        }
        try {
            // what the deliverer will build: a URL it refuses must be refused now, not at every attempt
            HttpRequest.newBuilder(uri);
        } catch (IllegalArgumentException refused) {
            throw ApiError.badRequest("url", "cannot be called: " + refused.getMessage());
        }
        return text;
    }

    static Set<WebhookEvent> events(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ApiError.badRequest("events", "must be a non-empty array of " + EVENT_NAMES);
        }
        Set<WebhookEvent> events = EnumSet.noneOf(WebhookEvent.class);
        for (JsonNode element : node) {
            WebhookEvent event = element.isTextual() ? WebhookEvent.fromWire(element.textValue()).orElse(null) : null;
            if (event == null) {
                throw ApiError.badRequest("events", "each must be one of " + EVENT_NAMES);
            }
            events.add(event);
        }
        return events;
    }
}
