package dev.tally.live;

import java.util.Locale;

/** Why a call was not admitted; each reason has its own counter. */
public enum RejectReason {
    CAPACITY(LiveCounter.REJECTED_CALLS_CAPACITY),
    TENANT_NOT_CONFIGURED(LiveCounter.REJECTED_CALLS_TENANT_NOT_CONFIGURED),
    INSTRUCTIONS_MISSING(LiveCounter.REJECTED_CALLS_INSTRUCTIONS_MISSING),
    BUDGET_EXHAUSTED(LiveCounter.REJECTED_CALLS_BUDGET_EXHAUSTED);

    private final LiveCounter counter;

    RejectReason(LiveCounter counter) {
        this.counter = counter;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public LiveCounter counter() {
        return counter;
    }

    public static RejectReason fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
