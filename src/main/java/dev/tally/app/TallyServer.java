package dev.tally.app;

import dev.tally.access.AdminToken;
import dev.tally.access.KeyRoutes;
import dev.tally.access.RequestAuth;
import dev.tally.access.TenantRoutes;
import dev.tally.access.WhoAmIRoutes;
import dev.tally.budget.BudgetMonitor;
import dev.tally.budget.BudgetRoutes;
import dev.tally.budget.webhook.WebhookRoutes;
import dev.tally.dashboard.Dashboard;
import dev.tally.dashboard.DashboardRoutes;
import dev.tally.http.BodyBudget;
import dev.tally.http.Json;
import dev.tally.http.JsonBadMessages;
import dev.tally.http.Routes;
import dev.tally.http.SecurityHeaders;
import dev.tally.http.ServletFilters;
import dev.tally.ingest.api.IngestRoutes;
import dev.tally.integrations.IntegrationSecretRoutes;
import dev.tally.lifecycle.BackupRoutes;
import dev.tally.fairness.Fairness;
import dev.tally.fairness.LimitsRoutes;
import dev.tally.lifecycle.TenantDeletionRoutes;
import dev.tally.lifecycle.erasure.ErasureRoutes;
import dev.tally.lifecycle.erasure.ErasureService;
import dev.tally.lifecycle.retention.RetentionRoutes;
import dev.tally.lifecycle.retention.RetentionService;
import dev.tally.integrations.ReceiverIngest;
import dev.tally.integrations.otlp.OtlpRoutes;
import dev.tally.integrations.retell.RetellRoutes;
import dev.tally.integrations.twilio.TwilioRoutes;
import dev.tally.integrations.vapi.VapiRoutes;
import dev.tally.live.LiveRoutes;
import dev.tally.live.LiveService;
import dev.tally.prices.PriceRoutes;
import dev.tally.report.callcost.CallCostRoutes;
import dev.tally.report.export.ExportRoutes;
import dev.tally.report.spend.SpendRoutes;
import dev.tally.report.stats.StatsRoutes;
import dev.tally.report.tokens.TokenRoutes;
import dev.tally.report.usage.UsageRoutes;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tally over HTTP: every domain's routes on one Javalin server.
 *
 * <p>Stopping is graceful in this order: refuse new requests, let requests in flight finish (so an
 * event is either acknowledged and durable or refused and retried, never lost in between), write
 * whatever the writer still holds, then close the store.
 */
public final class TallyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TallyServer.class);
    private static final long DRAIN_MILLIS = TimeUnit.SECONDS.toMillis(30);

    private final Tally tally;
    private final Javalin app;
    private final String adminToken;
    private final Drain drain;
    private volatile boolean stopped;
    /** Work the server runs besides requests (erasures, retention), stopped before the store closes. */
    private final List<AutoCloseable> background;
    /** How often raw events past each tenant's retention are deleted. */
    private static final java.time.Duration RETENTION_INTERVAL = java.time.Duration.ofHours(1);

    private TallyServer(Tally tally, Javalin app, String adminToken, Drain drain, List<AutoCloseable> background) {
        this.tally = tally;
        this.background = background;
        this.app = app;
        this.adminToken = adminToken;
        this.drain = drain;
    }

    public static TallyServer start(ServerConfig config, Clock clock) {
        Tally tally = Tally.open(config, clock);
        try {
            return start(config, tally);
        } catch (RuntimeException failure) {
            tally.close();
            throw failure;
        }
    }

    public static TallyServer start(ServerConfig config, Tally tally) {
        String adminToken = AdminToken.resolve(config.adminToken(), config.dataDirectory());
        RequestAuth auth = new RequestAuth(tally.keys(), adminToken);
        BudgetMonitor budgetMonitor = tally.budgets().monitor();
        tally.writer().afterWrites(budgetMonitor::written);
        tally.events().prepareWrites();
        tally.webhooks().start(budgetMonitor);
        budgetMonitor.start();
        LiveService live = LiveService.open(config.redisUrl(), tally.tenants(), budgetMonitor::refusingBudget,
                tally.writer(), tally.clock(), config.maxConcurrentCalls(), config.fallbackInstructions(),
                config.maxCallSeconds());
        ErasureService erasures = new ErasureService(tally.events(), tally.metadata(), tally.writer(),
                tally.erasedSubjects(), new LiveErasures(live), tally.clock()::millis);
        erasures.start();
        RetentionService retention = new RetentionService(tally.events(), tally.tenants(), tally.writer(),
                tally.clock()::millis);
        retention.start(RETENTION_INTERVAL);
        for (String dependency : tally.events().dependencies().keySet()) {
            io.micrometer.core.instrument.Gauge.builder("tally.dependency.up",
                            () -> tally.events().dependencies().getOrDefault(dependency, false) ? 1 : 0)
                    .description("1 while the dependency answers, else 0.").tag("dependency", dependency)
                    .register(tally.registry());
        }
        Fairness fairness = new Fairness(auth, tally.metadata());
        List<Routes> routes = List.of(
                new HealthRoutes(tally.events().name(), tally::storeAnswers),
                new ReadinessRoutes(tally.events(), live, tally.startup()),
                new IngestRoutes(tally.ingest(), auth, config.maxBodyBytes()),
                new TenantRoutes(tally.tenants(), auth, tally.events().deletesRawRows()),
                new IntegrationSecretRoutes(tally.integrationSecrets(), auth),
                new VapiRoutes(tally.integrationSecrets(), auth, new ReceiverIngest(tally.ingest()),
                        config.maxBodyBytes()),
                new RetellRoutes(tally.integrationSecrets(), new ReceiverIngest(tally.ingest()), tally.clock(),
                        config.maxBodyBytes()),
                new OtlpRoutes(auth, tally.ingest(), config.maxBodyBytes()),
                new TwilioRoutes(tally.integrationSecrets(), new ReceiverIngest(tally.ingest()), tally.clock(),
                        config.maxBodyBytes(), config.publicUrl()),
                new KeyRoutes(tally.keys(), auth),
                new BackupRoutes(tally.events(), auth),
                new TenantDeletionRoutes(tally.events(), tally.tenants(), tally.keys(), tally.integrationSecrets(),
                        tally.erasedSubjects(), auth),
                new ErasureRoutes(erasures, tally.tenants(), auth),
                new RetentionRoutes(retention, auth),
                new LimitsRoutes(fairness, tally.metadata(), tally.tenants(), auth),
                new BudgetRoutes(tally.budgets(), auth),
                new WebhookRoutes(tally.webhooks(), auth),
                new PriceRoutes(tally.prices(), auth),
                new SpendRoutes(tally.reports(), auth, tally.clock()),
                new CallCostRoutes(tally.reports(), auth, tally.clock()),
                new ExportRoutes(tally.reports(), tally.tenants(), auth, tally.clock()),
                new TokenRoutes(tally.reports(), tally.tenants(), auth, tally.clock()),
                new StatsRoutes(tally.reports(), tally.tenants(), auth, tally.clock()),
                new UsageRoutes(tally.reports(), auth, tally.clock()),
                new LiveRoutes(live, tally.tenants(), auth),
                new MetricsRoutes(auth, tally.registry(), List.of(live.bindMeters(tally.registry()),
                        budgetMonitor.bindMeters(tally.registry())), config.metricsToken()),
                new WhoAmIRoutes(auth),
                new DashboardRoutes());
        Drain drain = new Drain();
        Javalin app = Javalin.create(javalin -> {
            javalin.showJavalinBanner = false;
            ServletFilters.install(javalin, drain);
            ServletFilters.install(javalin, new SecurityHeaders());
            ServletFilters.install(javalin, new BodyBudget(config.inflightBytesCap(), config.maxBodyBytes()));
            javalin.jetty.modifyServer(server -> server.setErrorHandler(new JsonBadMessages()));
            // Long paths and query strings (a filter of many ids) reach the routes, which answer them in
            // JSON; past Jetty's default 8 KiB it refuses them itself and may drop the connection mid-body.
            javalin.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(64 * 1024));
            Dashboard.configure(javalin);
            javalin.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            // RequestBody enforces Tally's own limit with a JSON 413; Javalin's must not get there first.
            javalin.http.maxRequestSize = Math.max(config.maxBodyBytes() * 2, 1_000_000);
            javalin.requestLogger.http((context, millis) -> LOG.atInfo()
                    .addKeyValue("request_id", (Object) context.attribute(RequestIds.ATTRIBUTE))
                    .addKeyValue("method", context.method().name())
                    .addKeyValue("path", context.path())
                    .addKeyValue("status", context.statusCode())
                    .addKeyValue("millis", Math.round(millis))
                    .log("request"));
        });
        RequestIds.install(app);
        HttpMeters.install(app, tally.registry());
        // after the meters' start: a refused request is timed and counted too
        fairness.install(app);
        ErrorHandling.install(app, tally.registry());
        routes.forEach(route -> route.register(app));
        app.start(config.host(), config.port());
        LOG.atInfo().addKeyValue("port", app.port()).addKeyValue("store", tally.events().name())
                .addKeyValue("location", tally.storeLocation()).log("Tally is serving");
        return new TallyServer(tally, app, adminToken, drain, List.of(retention, erasures, fairness));
    }

    public int port() {
        return app.port();
    }

    public String adminToken() {
        return adminToken;
    }

    public Tally tally() {
        return tally;
    }

    /** Every registered endpoint as "METHOD path" (Javalin's path syntax), for the API document's completeness test. */
    public List<String> endpoints() {
        return app.unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
                .map(handler -> handler.getEndpoint())
                .filter(endpoint -> endpoint.getMethod().isHttpMethod())
                .map(endpoint -> endpoint.getMethod().name() + " " + endpoint.getPath())
                .toList();
    }

    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        LOG.info("stopping: finishing requests in flight");
        drain.awaitIdle(DRAIN_MILLIS);
        app.stop();
        for (AutoCloseable part : background) {
            try {
                part.close();
            } catch (Exception failure) {
                LOG.warn("stopping {} failed: {}", part.getClass().getSimpleName(), failure.toString());
            }
        }
        tally.close();
        LOG.info("stopped");
    }
}
