package dev.tally.live;

/** The identifiers of a data subject that live state holds. */
public enum LiveIdentifier {
    PHONE_NUMBER,
    CALL_ID;

    CallSession replaced(CallSession session, String value, String pseudonym) {
        return switch (this) {
            case PHONE_NUMBER -> value.equals(session.phoneNumber())
                    ? new CallSession(session.tenantId(), session.callId(), session.admittedMs(), session.startedMs(),
                            session.agentId(), session.direction(), pseudonym, session.instructionsSource())
                    : null;
            case CALL_ID -> value.equals(session.callId())
                    ? new CallSession(session.tenantId(), pseudonym, session.admittedMs(), session.startedMs(),
                            session.agentId(), session.direction(), session.phoneNumber(), session.instructionsSource())
                    : null;
        };
    }

    /** The field's name in Redis' hashes and JSON. */
    String field() {
        return switch (this) {
            case PHONE_NUMBER -> "phone_number";
            case CALL_ID -> "call_id";
        };
    }
}
