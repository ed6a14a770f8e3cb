package dev.tally.ingest.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer to an ingest request: counts, and one entry for every event that was not simply
 * stored, so a client knows exactly what to fix or what it sent twice.
 *
 * @param accepted   events stored, applied as a call's newer state, or stored as a correction (a higher
 *                   revision) that replaced the stored event ({@code updated})
 * @param duplicates events that changed nothing: sent before at the same revision ({@code duplicate}), or
 *                   older than what is stored ({@code stale}: a lower revision, or a call's earlier status)
 */
public record IngestResult(int accepted, int duplicates, int rejected, List<Item> results) {

    /** What happened to one event: {@code duplicate}, {@code stale}, {@code updated} or {@code rejected}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(int index, String id, String status, String field, String reason) {
    }

    /** A batch in which nothing was stored and something was wrong is the client's error. */
    public int httpStatus() {
        return accepted == 0 && duplicates == 0 && rejected > 0 ? 400 : 200;
    }
}
