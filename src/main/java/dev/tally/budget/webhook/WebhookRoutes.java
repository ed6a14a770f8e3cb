package dev.tally.budget.webhook;

import dev.tally.access.RequestAuth;
import dev.tally.http.ApiError;
import dev.tally.http.JsonBody;
import dev.tally.http.Routes;
import dev.tally.tenant.Webhook;
import dev.tally.tenant.WebhookDelivery;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;

/** {@code /admin/webhooks}: the operator's (admin token) budget webhooks and their deliveries. */
public final class WebhookRoutes implements Routes {
    private static final String ONE = "/admin/webhooks/{id}";

    private final WebhookService webhooks;
    private final RequestAuth auth;

    public WebhookRoutes(WebhookService webhooks, RequestAuth auth) {
        this.webhooks = webhooks;
        this.auth = auth;
    }

    @Override
    public void register(Javalin app) {
        app.post("/admin/webhooks", this::create);
        app.get("/admin/webhooks", this::list);
        app.get(ONE, this::show);
        app.delete(ONE, this::remove);
        app.get(ONE + "/deliveries", this::deliveries);
        app.post(ONE + "/deliveries/{delivery_id}/retry", this::retry);
    }

    private void create(Context context) {
        auth.admin(context);
        context.status(201).json(WebhookView.created(webhooks.create(JsonBody.of(context))));
    }

    private void list(Context context) {
        auth.admin(context);
        context.json(Map.of("webhooks", webhooks.webhooks().stream().map(WebhookView::of).toList()));
    }

    private void show(Context context) {
        auth.admin(context);
        context.json(WebhookView.of(stored(context)));
    }

    private void remove(Context context) {
        auth.admin(context);
        if (!webhooks.delete(context.pathParam("id"))) {
            throw ApiError.notFound("id", "no webhook has this id");
        }
        context.status(204);
    }

    private void deliveries(Context context) {
        auth.admin(context);
        Webhook webhook = stored(context);
        context.json(Map.of("deliveries", webhooks.deliveries(webhook.id()).stream()
                .map(delivery -> WebhookView.of(delivery, webhooks.attempts(delivery.id()))).toList()));
    }

    private void retry(Context context) {
        auth.admin(context);
        Webhook webhook = stored(context);
        WebhookDelivery due = webhooks.retry(webhook.id(), context.pathParam("delivery_id"));
        context.status(202).json(WebhookView.of(due, webhooks.attempts(due.id())));
    }

    private Webhook stored(Context context) {
        return webhooks.webhook(context.pathParam("id")).orElseThrow(() -> ApiError.notFound("id",
                "no webhook has this id"));
    }
}
