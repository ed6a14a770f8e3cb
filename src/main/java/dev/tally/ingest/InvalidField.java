package dev.tally.ingest;

/** An event field that breaks the contract; thrown while parsing one event and turned into its rejection. */
public final class InvalidField extends RuntimeException {
    private final String field;

    public InvalidField(String field, String reason) {
        super(reason, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return getMessage();
    }
}
