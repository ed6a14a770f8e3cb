package dev.tally.tenant;

import dev.tally.text.WireName;

/** Where an erasure job stands. */
public enum ErasureState implements WireName {
    RUNNING("running"),
    DONE("done"),
    /** Nothing was changed: the store's rewrite is one transaction, or it was never reached. */
    FAILED("failed");

    private final String wireName;

    ErasureState(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
