package dev.tally.ingest;

/** What makes an event the same event: its id within its tenant. */
public record EventKey(String tenantId, String id) {
}
