package dev.tally.budget.webhook;

import dev.tally.budget.BudgetStatus;
import dev.tally.store.MetadataStore;
import dev.tally.tenant.Budget;
import dev.tally.tenant.Webhook;
import dev.tally.tenant.WebhookDelivery;
import dev.tally.tenant.WebhookEvent;
import dev.tally.tenant.WebhookNotification;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Hears every budget status the monitor measures and decides what it notifies: each threshold
 * reached in the period once ({@code budget.exhausted} at the limit, whether or not 1 is among
 * the thresholds; {@code budget.threshold_crossed} for the others), and {@code budget.reset} once
 * in a period after one that notified. The store decides "once" ({@link
 * MetadataStore#recordNotification}); what this instance already knows is kept here so that a
 * status repeated every few seconds costs no query.
 */
final class WebhookDecider implements Consumer<BudgetStatus> {
    private final MetadataStore metadata;
    private final LongSupplier clock;
    /** The latest status of each budget and period, until decided on: the monitor's thread never waits on a store. */
    private final Map<String, BudgetStatus> heard = new ConcurrentHashMap<>();
    /** By budget id; touched by the deciding thread only. */
    private final Map<String, Known> known = new HashMap<>();

    /** What is on record for a budget's current period, and whether its previous one notified. */
    private record Known(long periodStartMs, Set<String> decided, boolean previousNotified) {
    }

    WebhookDecider(MetadataStore metadata, LongSupplier clock) {
        this.metadata = metadata;
        this.clock = clock;
    }

    @Override
    public void accept(BudgetStatus status) {
        heard.put(status.budget().id() + "/" + status.period().startMs(), status);
    }

    /** Decides on every status heard since the last call; returns how many notifications it recorded. */
    synchronized int decide() {
        int recorded = 0;
        List<Webhook> webhooks = null;
        for (String key : List.copyOf(heard.keySet())) {
            BudgetStatus status = heard.remove(key);
            Known budget = known(status);
            for (Pending pending : pending(status, budget)) {
                if (webhooks == null) {
                    webhooks = metadata.webhooks();
                }
                if (record(pending, status, webhooks)) {
                    recorded++;
                }
                // decided here or elsewhere: either way it is on record
                budget.decided().add(pending.key());
            }
        }
        return recorded;
    }

    private record Pending(String key, WebhookEvent type, String threshold) {
    }

    private static List<Pending> pending(BudgetStatus status, Known budget) {
        Budget definition = status.budget();
        long start = status.period().startMs();
        List<Pending> pending = new ArrayList<>();
        if (budget.previousNotified()) {
            String reset = WebhookNotification.key(definition.id(), start, null);
            if (!budget.decided().contains(reset)) {
                pending.add(new Pending(reset, WebhookEvent.RESET, null));
            }
        }
        Set<BigDecimal> thresholds = new TreeSet<>(definition.thresholds());
        thresholds.add(BigDecimal.ONE);
        for (BigDecimal threshold : thresholds) {
            String text = threshold.stripTrailingZeros().toPlainString();
            String key = WebhookNotification.key(definition.id(), start, text);
            if (status.reached(threshold) && !budget.decided().contains(key)) {
                pending.add(new Pending(key, threshold.compareTo(BigDecimal.ONE) == 0 ? WebhookEvent.EXHAUSTED
                        : WebhookEvent.THRESHOLD_CROSSED, text));
            }
        }
        return pending;
    }

    private boolean record(Pending pending, BudgetStatus status, List<Webhook> webhooks) {
        Budget budget = status.budget();
        WebhookNotification notification = new WebhookNotification(pending.key(), budget.id(), budget.tenantId(),
                status.period().startMs(), pending.type(), pending.threshold(), clock.getAsLong());
        String body = WebhookPayload.body(notification, status);
        List<WebhookDelivery> deliveries = webhooks.stream()
                .filter(webhook -> webhook.hears(budget.tenantId(), pending.type()))
                .map(webhook -> WebhookDelivery.due(messageId(pending.key(), webhook.id()), webhook.id(), notification,
                        body))
                .toList();
        return metadata.recordNotification(notification, deliveries);
    }

    /** What is on record for the status's budget and period: read from the store once per budget and period. */
    private Known known(BudgetStatus status) {
        Budget budget = status.budget();
        long start = status.period().startMs();
        Known current = known.get(budget.id());
        if (current != null && current.periodStartMs() == start) {
            return current;
        }
        long previousStart = budget.period().at(Instant.ofEpochMilli(start - 1), budget.timezone()).startMs();
        Set<String> decided = new HashSet<>();
        boolean previousNotified = false;
        for (WebhookNotification notification : metadata.notifications(budget.id(), previousStart)) {
            if (notification.periodStartMs() == start) {
                decided.add(notification.key());
            } else if (notification.periodStartMs() == previousStart && notification.type() != WebhookEvent.RESET) {
                previousNotified = true;
            }
        }
        Known loaded = new Known(start, decided, previousNotified);
        known.put(budget.id(), loaded);
        return loaded;
    }

    /**
     * The {@code webhook-id} of a notification's delivery to one webhook: derived from both, so
     * whichever instance or restart writes it, it is the same, and receivers that drop an id seen
     * before drop any repeat.
     */
    static String messageId(String notificationKey, String webhookId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((notificationKey + "\n" + webhookId)
                    .getBytes(StandardCharsets.UTF_8));
            return "msg_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
