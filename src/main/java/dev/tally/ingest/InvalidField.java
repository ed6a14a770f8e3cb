package dev.tally.ingest;

/** An event field that breaks the contract; thrown while parsing one event and turned into its rejection. */
final class InvalidField extends RuntimeException {
    private final String field;

    InvalidField(String field, String reason) {
        super(reason, null, false, false);
        this.field = field;
    }

    String field() {
        return field;
    }

    String reason() {
        return getMessage();
    }
}
