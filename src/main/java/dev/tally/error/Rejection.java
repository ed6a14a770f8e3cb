package dev.tally.error;

/**
 * A request the domain refuses, with the field at fault and why. Services and queries throw it
 * without knowing they answer over HTTP; the HTTP layer turns each {@link Kind} into a status.
 */
public final class Rejection extends RuntimeException {
    /** Why the request is refused, in the domain's words. */
    public enum Kind {
        /** A field or parameter is missing, malformed or out of range. */
        INVALID,
        /** No credential, or one that is not valid. */
        UNAUTHENTICATED,
        /** A valid credential that may not do this. */
        FORBIDDEN,
        /** The thing named does not exist (for this caller). */
        NOT_FOUND,
        /** The request contradicts what is stored (a duplicate name, a state that moved on). */
        CONFLICT
    }

    private final Kind kind;
    private final String field;

    private Rejection(Kind kind, String field, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
        this.field = field;
    }

    public static Rejection invalid(String field, String reason) {
        return new Rejection(Kind.INVALID, field, reason);
    }

    public static Rejection unauthenticated(String reason) {
        return new Rejection(Kind.UNAUTHENTICATED, null, reason);
    }

    public static Rejection forbidden(String reason) {
        return new Rejection(Kind.FORBIDDEN, null, reason);
    }

    public static Rejection notFound(String field, String reason) {
        return new Rejection(Kind.NOT_FOUND, field, reason);
    }

    public static Rejection conflict(String field, String reason) {
        return new Rejection(Kind.CONFLICT, field, reason);
    }

    public Kind kind() {
        return kind;
    }

    /** The field or parameter at fault, or null when the request as a whole is refused. */
    public String field() {
        return field;
    }

    public String reason() {
        return getMessage();
    }
}
