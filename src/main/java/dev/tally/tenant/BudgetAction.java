package dev.tally.tenant;

import dev.tally.text.WireName;
import java.util.Optional;

/** What reaching a budget's limit does: only notify, or also refuse the calls it covers. */
public enum BudgetAction implements WireName {
    ALERT("alert"),
    BLOCK_CALLS("block_calls");

    private final String wireName;

    BudgetAction(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static Optional<BudgetAction> fromWire(String name) {
        return WireName.find(values(), name);
    }
}
