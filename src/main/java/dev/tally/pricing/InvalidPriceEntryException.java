package dev.tally.pricing;

/**
 * A price entry that breaks a rule. It names the offending field by its JSON (snake_case) name so
 * that an admin route can answer with the same field-and-reason error as the ingest contract.
 */
public final class InvalidPriceEntryException extends IllegalArgumentException {
    private final String field;
    private final String reason;

    public InvalidPriceEntryException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    /** The field's JSON name, e.g. {@code input_per_million}. */
    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
