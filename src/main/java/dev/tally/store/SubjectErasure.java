package dev.tally.store;

import dev.tally.tenant.ErasureSubject;

/**
 * What a store is asked to erase: the tenant's rows naming {@code identifier} as {@code subject}
 * get {@code pseudonym} in its place.
 *
 * @param erasureId the job it belongs to, recorded with the erased subject
 */
public record SubjectErasure(String erasureId, String tenantId, ErasureSubject subject, String identifier,
                             String pseudonym) {

    /** The columns that may hold the identifier, in any table of the tenant's rows. */
    public java.util.List<String> columns() {
        return switch (subject) {
            case MEMBER_ID -> java.util.List.of("member_id");
            case PHONE_NUMBER -> java.util.List.of("phone_number");
            case USER_EMAIL -> java.util.List.of("user_email");
            // call_key: the per-call cost rows name their call so
            case CALL_ID -> java.util.List.of("call_id", "call_key");
        };
    }

    @Override
    public String toString() {
        // never the identifier: this may end up in a log line
        return "SubjectErasure[" + erasureId + ", " + tenantId + ", " + subject.wireName() + " → " + pseudonym + "]";
    }
}
