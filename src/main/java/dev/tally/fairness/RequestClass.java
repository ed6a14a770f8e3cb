package dev.tally.fairness;

import dev.tally.text.WireName;

/** What a request asks of the server, limited apart: a flood of one must not starve the other. */
public enum RequestClass implements WireName {
    INGEST("ingest"),
    REPORTS("reports");

    private final String wireName;

    RequestClass(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    /** The class of a request, by method and path; empty for the routes no tenant limit applies to (admin, health, live). */
    static java.util.Optional<RequestClass> of(String method, String path) {
        if (method.equals("POST") && (path.equals("/v1/events") || path.startsWith("/v1/integrations/")
                || path.startsWith("/v1/otlp/"))) {
            return java.util.Optional.of(INGEST);
        }
        boolean report = method.equals("GET") && (path.startsWith("/v1/analytics/") || path.startsWith("/api/v2/w/")
                || path.startsWith("/v1/exports/") || path.equals("/v1/budgets"))
                || method.equals("POST") && path.equals("/calls/stats");
        return report ? java.util.Optional.of(REPORTS) : java.util.Optional.empty();
    }
}
