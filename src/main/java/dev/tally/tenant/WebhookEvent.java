package dev.tally.tenant;

import dev.tally.text.WireName;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** What a webhook can be told about a budget. */
public enum WebhookEvent implements WireName {
    /** Spending reached a share of the limit other than the limit itself. */
    THRESHOLD_CROSSED("budget.threshold_crossed"),
    /** Spending reached the limit. */
    EXHAUSTED("budget.exhausted"),
    /** A budget that notified in its previous period started a new one. */
    RESET("budget.reset");

    private final String wireName;

    WebhookEvent(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static Optional<WebhookEvent> fromWire(String name) {
        return WireName.find(values(), name);
    }

    /** Events as the stores keep them, in one text column: wire names, sorted, comma-separated. */
    public static String joined(Set<WebhookEvent> events) {
        return events.stream().map(WireName::wireName).sorted().collect(Collectors.joining(","));
    }

    /** The events of {@link #joined} text; a name no longer known is left out. */
    public static Set<WebhookEvent> split(String text) {
        Set<WebhookEvent> events = EnumSet.noneOf(WebhookEvent.class);
        for (String name : text.split(",")) {
            fromWire(name).ifPresent(events::add);
        }
        return events;
    }
}
