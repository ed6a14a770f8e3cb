package dev.tally.app;

import dev.tally.access.KeyService;
import dev.tally.access.TenantService;
import dev.tally.budget.BudgetService;
import dev.tally.budget.webhook.WebhookService;
import dev.tally.ingest.api.IngestService;
import dev.tally.integrations.IntegrationSecrets;
import dev.tally.prices.PriceService;
import dev.tally.store.BatchWriter;
import dev.tally.store.EventStore;
import dev.tally.store.MetadataStore;
import dev.tally.store.ReportStore;
import dev.tally.store.clickhouse.ClickHouseStore;
import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.duckdb.DuckDbEventStore;
import dev.tally.store.duckdb.DuckDbMetadataStore;
import java.time.Clock;

/**
 * Tally's parts wired together, without HTTP: the server, the demo loader and tests all start from
 * here. Closing it writes every queued batch before the store closes.
 */
public final class Tally implements AutoCloseable {
    private final EventStore events;
    private final ReportStore reports;
    private final MetadataStore metadata;
    private final TenantService tenants;
    private final KeyService keys;
    private final PriceService prices;
    private final BatchWriter writer;
    /** Every subsystem's meters, scraped at {@code GET /metrics} in Prometheus' format. */
    private final Meters meters = new Meters();
    private final io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry = meters.registry();
    private final dev.tally.ingest.ErasedSubjects erasedSubjects = new dev.tally.ingest.ErasedSubjects();
    private final IngestService ingest;
    private final IntegrationSecrets integrationSecrets;
    private final BudgetService budgets;
    private final WebhookService webhooks;
    private final Clock clock;
    private final StartupWork startup = new StartupWork();
    private final String storeLocation;
    private final Runnable closeStore;

    /** Every budget is measured again this often, besides a tenant's right after its writes. */
    private static final java.time.Duration BUDGET_SWEEP = java.time.Duration.ofSeconds(5);

    private Tally(EventStore events, ReportStore reports, MetadataStore metadata, String storeLocation,
                  Runnable closeStore, Clock clock) {
        this.clock = clock;
        this.events = events;
        this.reports = reports;
        this.metadata = metadata;
        this.storeLocation = storeLocation;
        this.closeStore = closeStore;
        this.tenants = new TenantService(metadata, clock);
        this.keys = new KeyService(metadata, tenants, clock);
        this.prices = new PriceService(metadata);
        this.writer = new BatchWriter(events);
        // one rule for every store and every way in: an erased subject's later events carry its pseudonym
        this.writer.beforeWrite(erasedSubjects::apply);
        this.writer.instrument(registry);
        this.events.instrument(registry);
        this.ingest = new IngestService(tenants, prices::price, writer, clock, registry, events::writableFrom);
        this.integrationSecrets = new IntegrationSecrets(metadata, tenants, clock);
        this.budgets = new BudgetService(metadata, reports, clock::millis, BUDGET_SWEEP);
        this.webhooks = new WebhookService(metadata, clock::millis);
    }

    /** Opens the configured store: ClickHouse when configured, else the DuckDB file (in memory without a directory). */
    public static Tally open(ServerConfig config, Clock clock) {
        if (config.clickHouse() != null) {
            ClickHouseStore store = ClickHouseStore.open(config.clickHouse());
            return new Tally(store.events(), store.events(), store.metadata(), store.location(), () -> { }, clock);
        }
        DuckDbDatabase database = config.dataDirectory() == null
                ? DuckDbDatabase.inMemory() : DuckDbDatabase.open(config.dataDirectory(), config.duckDbMemoryLimit());
        DuckDbEventStore events = new DuckDbEventStore(database);
        return new Tally(events, config.rollupReads() ? events : events.withoutRollups(),
                new DuckDbMetadataStore(database), database.location(),
                () -> {
                    database.checkpoint();
                    database.close();
                }, clock);
    }

    public EventStore events() {
        return events;
    }

    /** What the reports read: the event store, or on DuckDB the same store read without its rollups when so configured. */
    public ReportStore reports() {
        return reports;
    }

    public MetadataStore metadata() {
        return metadata;
    }

    public TenantService tenants() {
        return tenants;
    }

    public KeyService keys() {
        return keys;
    }

    public PriceService prices() {
        return prices;
    }

    public IngestService ingest() {
        return ingest;
    }

    /** Budgets and where each stands in its period. */
    public BudgetService budgets() {
        return budgets;
    }

    /** Budget webhooks and their outbox. */
    public WebhookService webhooks() {
        return webhooks;
    }

    /** The secrets the receivers check a tenant's webhooks with. */
    public IntegrationSecrets integrationSecrets() {
        return integrationSecrets;
    }

    /** The subjects erased so far, which every write meets before the store. */
    public dev.tally.ingest.ErasedSubjects erasedSubjects() {
        return erasedSubjects;
    }

    public io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry() {
        return registry;
    }

    public BatchWriter writer() {
        return writer;
    }

    public Clock clock() {
        return clock;
    }

    /** Work after the start that readiness waits for (the demo data). */
    public StartupWork startup() {
        return startup;
    }

    public String storeLocation() {
        return storeLocation;
    }

    /** True when the store answers a trivial query; the health endpoint reports it. */
    public boolean storeAnswers() {
        try {
            events.query(new dev.tally.store.sql.Sql("SELECT 1 AS one", java.util.List.of()));
            return true;
        } catch (RuntimeException failure) {
            return false;
        }
    }

    @Override
    public void close() {
        webhooks.close();
        budgets.monitor().close();
        writer.close();
        events.close();
        closeStore.run();
        meters.close();
    }
}
