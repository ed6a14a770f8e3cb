package dev.tally.live;

import java.util.Locale;

/**
 * The numbers live state keeps per tenant and in total. The first twelve are the metrics object's
 * integer fields, in its order (spec 002's eleven, with budget refusals beside the other rejections);
 * the last four are bookkeeping the metrics are computed from.
 */
public enum LiveCounter {
    ACTIVE_CALLS("Calls started and not yet ended.", true),
    ACCEPTED_CALLS("Calls admitted.", false),
    REJECTED_CALLS_CAPACITY("Calls rejected because the platform or tenant limit was reached.", false),
    REJECTED_CALLS_TENANT_NOT_CONFIGURED("Calls rejected because the tenant has no call settings.", false),
    REJECTED_CALLS_INSTRUCTIONS_MISSING("Calls rejected because neither tenant nor fallback instructions exist.", false),
    REJECTED_CALLS_BUDGET_EXHAUSTED("Calls rejected because an exhausted block_calls budget covers them.", false),
    INSTRUCTIONS_DB_ERRORS("Instruction lookups that failed.", false),
    FALLBACK_INSTRUCTIONS_USED("Calls admitted with the fallback instructions.", false),
    STARTED_CALLS("Calls started.", false),
    ENDED_CALLS("Calls ended, by the gateway or the reaper.", false),
    FAILED_CALLS("Calls ended as failed, the reaped ones included.", false),
    REFERRED_CALLS("Calls ended by a transfer.", false),
    /** Admitted and not ended: what the limits count. */
    HELD_SLOTS("Slots held: calls admitted and not yet ended.", true),
    /** Admitted and not yet started. */
    PENDING_CALLS("Calls admitted and not yet started.", true),
    /** Sum of the start times of active calls: live minutes are active_calls × now − this. */
    STARTED_MS_SUM(null, true),
    ENDED_DURATION_MS(null, false);

    /** The metric fields, in the metrics object's order. */
    public static final LiveCounter[] METRICS = {
        ACTIVE_CALLS, ACCEPTED_CALLS, REJECTED_CALLS_CAPACITY, REJECTED_CALLS_TENANT_NOT_CONFIGURED,
        REJECTED_CALLS_INSTRUCTIONS_MISSING, REJECTED_CALLS_BUDGET_EXHAUSTED, INSTRUCTIONS_DB_ERRORS, FALLBACK_INSTRUCTIONS_USED,
        STARTED_CALLS, ENDED_CALLS, FAILED_CALLS, REFERRED_CALLS};

    private final String help;
    private final boolean gauge;

    LiveCounter(String help, boolean gauge) {
        this.help = help;
        this.gauge = gauge;
    }

    public String fieldName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String help() {
        return help;
    }

    public boolean gauge() {
        return gauge;
    }
}
