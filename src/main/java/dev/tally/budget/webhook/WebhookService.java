package dev.tally.budget.webhook;

import dev.tally.budget.BudgetMonitor;
import dev.tally.http.ApiError;
import dev.tally.http.JsonBody;
import dev.tally.store.MetadataStore;
import dev.tally.tenant.DeliveryState;
import dev.tally.tenant.Webhook;
import dev.tally.tenant.WebhookAttempt;
import dev.tally.tenant.WebhookDelivery;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budget webhooks: kept in the metadata store, told what the budget monitor's statuses decide
 * ({@link WebhookDecider}), and sent from the store's outbox ({@link WebhookDeliverer}), each on a
 * daemon thread of its own so that a receiver slow to answer never delays a decision.
 */
public final class WebhookService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookService.class);
    /** How often statuses heard are decided on and the outbox is looked at for due deliveries. */
    static final Duration PASS = Duration.ofMillis(250);
    /**
     * How long the outbox is not looked at again after a look found nothing due, unless this
     * instance records a notification or a retry meanwhile: on ClickHouse each look is a query of
     * every shard, 16 ms of server time, four a second while nothing is ever due. A delivery
     * recorded by another instance, or a retry falling due (5 s at the soonest), waits this long.
     */
    static final Duration IDLE_PASS = Duration.ofSeconds(2);
    private static final int LISTED_DELIVERIES = 100;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MetadataStore metadata;
    private final LongSupplier clock;
    private final WebhookDecider decider;
    private final WebhookDeliverer deliverer;
    private ScheduledExecutorService scheduler;
    private final AtomicBoolean woken = new AtomicBoolean(true);
    private volatile long quietUntilNanos;

    public WebhookService(MetadataStore metadata, LongSupplier clock) {
        this.metadata = metadata;
        this.clock = clock;
        this.decider = new WebhookDecider(metadata, clock);
        this.deliverer = new WebhookDeliverer(metadata, clock);
    }

    /** Hears the monitor's statuses, and starts deciding and delivering. */
    public synchronized void start(BudgetMonitor monitor) {
        if (scheduler != null) {
            return;
        }
        monitor.addListener(decider);
        scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "tally-webhooks");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> pass("decided", this::decide), 0, PASS.toMillis(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> pass("delivered", this::deliverDue), 0, PASS.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private int decide() {
        int recorded = decider.decide();
        if (recorded > 0) {
            woken.set(true);
        }
        return recorded;
    }

    private int deliverDue() {
        if (!woken.getAndSet(false) && System.nanoTime() - quietUntilNanos < 0) {
            return 0;
        }
        int attempts = deliverer.deliverDue();
        // a pass that sent something looks again at the next one: a batch may have left more due
        quietUntilNanos = attempts > 0 ? System.nanoTime() : System.nanoTime() + IDLE_PASS.toNanos();
        return attempts;
    }

    private static void pass(String what, java.util.function.IntSupplier work) {
        try {
            work.getAsInt();
        } catch (RuntimeException failure) {
            // the store may be down for a while: what was heard or due stays, and the next pass tries again
            LOG.warn("webhooks could not be {}: {}", what, failure.getMessage());
        }
    }

    /** Package-visible for tests: how long an attempt waits for an answer. */
    WebhookDeliverer deliverer() {
        return deliverer;
    }

    Webhook create(JsonBody body) {
        WebhookFields.onlyKnown(body);
        String tenantId = body.text("tenant_id");
        if (tenantId != null && metadata.tenant(tenantId).isEmpty()) {
            throw ApiError.notFound("tenant_id", "no tenant has this id");
        }
        String url = WebhookFields.url(body.text("url"));
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        Webhook webhook = new Webhook("wh_" + HexFormat.of().formatHex(random), tenantId, url,
                WebhookFields.events(body.raw("events")), WebhookSignature.newSecret(), clock.getAsLong());
        metadata.putWebhook(webhook);
        return webhook;
    }

    List<Webhook> webhooks() {
        return metadata.webhooks();
    }

    Optional<Webhook> webhook(String id) {
        return metadata.webhook(id);
    }

    boolean delete(String id) {
        return metadata.deleteWebhook(id);
    }

    List<WebhookDelivery> deliveries(String webhookId) {
        return metadata.deliveries(webhookId, LISTED_DELIVERIES);
    }

    List<WebhookAttempt> attempts(String deliveryId) {
        return metadata.attempts(deliveryId);
    }

    /** Sends the delivery again at the next pass, with a new day of retries, whatever it stood at. */
    WebhookDelivery retry(String webhookId, String deliveryId) {
        WebhookDelivery delivery = metadata.delivery(deliveryId).filter(found -> found.webhookId().equals(webhookId))
                .orElseThrow(() -> ApiError.notFound("delivery_id", "this webhook has no delivery with this id"));
        long now = clock.getAsLong();
        if (delivery.state() == DeliveryState.PENDING && delivery.nextAttemptMs() != null
                && delivery.nextAttemptMs() <= now) {
            // due already, perhaps being sent this moment: a second write would race that attempt's record
            return delivery;
        }
        WebhookDelivery due = delivery.dueAgain(now);
        metadata.updateDelivery(due, null);
        woken.set(true);
        return due;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                // an attempt in flight records itself before the store closes
                scheduler.awaitTermination(WebhookDeliverer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
    }
}
