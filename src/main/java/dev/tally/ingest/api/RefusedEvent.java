package dev.tally.ingest.api;

/** An event of an all-or-nothing batch that breaks the contract: none of the batch was stored. */
public final class RefusedEvent extends RuntimeException {
    private final int index;
    private final String field;

    RefusedEvent(int index, String field, String reason) {
        super(reason, null, false, false);
        this.index = index;
        this.field = field;
    }

    /** The event's position in the batch. */
    public int index() {
        return index;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return getMessage();
    }
}
