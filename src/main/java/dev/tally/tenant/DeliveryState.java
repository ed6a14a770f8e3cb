package dev.tally.tenant;

import dev.tally.text.WireName;
import java.util.Optional;

/** Where a webhook delivery stands: still to be sent (again), answered with a 2xx, or given up. */
public enum DeliveryState implements WireName {
    PENDING("pending"),
    SUCCEEDED("succeeded"),
    FAILED("failed");

    private final String wireName;

    DeliveryState(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static Optional<DeliveryState> fromWire(String name) {
        return WireName.find(values(), name);
    }
}
