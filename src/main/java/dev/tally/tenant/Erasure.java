package dev.tally.tenant;

import java.util.Map;

/**
 * One erasure of a data subject, and its line in the audit log. It holds no personal data: the
 * subject is named by the kind of identifier and the pseudonym that replaced it, never by the
 * identifier itself.
 *
 * @param reference the operator's own reference for the request (a ticket number), not personal data
 * @param rows rows rewritten per table or state, once done
 * @param failure why it failed, once failed
 */
public record Erasure(String id, String tenantId, ErasureSubject subject, String pseudonym, String requestedBy,
                      String reference, long requestedMs, ErasureState state, Long finishedMs, Map<String, Long> rows,
                      String failure) {

    public Erasure {
        rows = rows == null ? Map.of() : Map.copyOf(rows);
    }

    public Erasure done(long nowMs, Map<String, Long> rewritten) {
        return new Erasure(id, tenantId, subject, pseudonym, requestedBy, reference, requestedMs, ErasureState.DONE,
                nowMs, rewritten, null);
    }

    public Erasure failed(long nowMs, String reason) {
        return new Erasure(id, tenantId, subject, pseudonym, requestedBy, reference, requestedMs, ErasureState.FAILED,
                nowMs, Map.of(), reason);
    }
}
