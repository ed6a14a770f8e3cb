package dev.tally.tenant;

import java.util.Optional;

/** A provider whose webhooks Tally receives for a tenant, each checked with that tenant's own secret. */
public enum IntegrationProvider {
    VAPI("vapi"),
    RETELL("retell"),
    TWILIO("twilio");

    private final String wireName;

    IntegrationProvider(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<IntegrationProvider> fromWire(String name) {
        for (IntegrationProvider provider : values()) {
            if (provider.wireName.equals(name)) {
                return Optional.of(provider);
            }
        }
        return Optional.empty();
    }
}
