package dev.tally.prices;

import dev.tally.access.RequestAuth;
import dev.tally.http.ApiError;
import dev.tally.http.JsonBody;
import dev.tally.http.RequestBody;
import dev.tally.http.Routes;
import dev.tally.pricing.InvalidPriceEntryException;
import dev.tally.pricing.PriceEntry;
import dev.tally.pricing.catalog.CatalogFormat;
import dev.tally.pricing.catalog.CatalogImport;
import dev.tally.pricing.catalog.CatalogPrices;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Operator endpoints to read and change the price book, behind the admin token. */
public final class PriceRoutes implements Routes {
    /** LiteLLM's file is about 1.5 MB today; room for it to grow, not for anything else. */
    private static final long MAX_CATALOG_BYTES = 64L * 1024 * 1024;
    private static final int MAX_VERSION_LENGTH = 200;

    private final PriceService prices;
    private final RequestAuth auth;

    public PriceRoutes(PriceService prices, RequestAuth auth) {
        this.prices = prices;
        this.auth = auth;
    }

    @Override
    public void register(Javalin app) {
        app.get("/admin/prices", context -> {
            auth.admin(context);
            context.json(Map.of("prices", prices.list(context.queryParam("tenant_id")).stream()
                    .map(PriceRoutes::view).toList()));
        });
        app.post("/admin/prices", this::add);
        app.post("/admin/prices/import", this::importCatalog);
        // <id>, not {id}: the bundled defaults' ids contain '/' (openai/gpt-4o@2024-08-06).
        app.delete("/admin/prices/<id>", context -> {
            auth.admin(context);
            if (!prices.delete(context.pathParam("id"))) {
                throw ApiError.notFound("id", "no stored price entry " + context.pathParam("id"));
            }
            context.json(Map.of("id", context.pathParam("id"), "deleted", true));
        });
    }

    private void add(Context context) {
        auth.admin(context);
        JsonBody body = JsonBody.of(context);
        PriceEntry entry;
        try {
            Map<String, BigDecimal> rates = new LinkedHashMap<>();
            for (String rate : PriceEntry.rateNames()) {
                rates.put(rate, decimal(body, rate));
            }
            entry = PriceEntry.of(null, body.text("tenant_id"), body.text("provider"), body.text("model"),
                    date(body, "effective_from"), body.text("prefix"), rates, body.text("source"));
        } catch (InvalidPriceEntryException invalid) {
            throw ApiError.badRequest(invalid.field(), invalid.reason());
        }
        context.status(201).json(view(prices.add(entry)));
    }

    /**
     * {@code POST /admin/prices/import?format=litellm|genai-prices|tally[&dry_run=true][&version=V]}
     * with the catalog file as the body: what it adds, changes and leaves, stored unless a dry run.
     */
    private void importCatalog(Context context) {
        auth.admin(context);
        String formatName = context.queryParam("format");
        if (formatName == null || formatName.isBlank()) {
            throw ApiError.badRequest("format", "required: one of " + CatalogFormat.names());
        }
        CatalogFormat format = CatalogFormat.named(formatName).orElseThrow(() -> ApiError.badRequest("format",
                "must be one of " + CatalogFormat.names() + ", was " + formatName));
        boolean dryRun = flag(context, "dry_run");
        String version = context.queryParam("version");
        if (version != null && (version.isBlank() || version.length() > MAX_VERSION_LENGTH)) {
            throw ApiError.badRequest("version", "must be 1 to " + MAX_VERSION_LENGTH + " characters when given");
        }
        byte[] body = RequestBody.read(context, MAX_CATALOG_BYTES);
        CatalogImport read;
        try {
            read = format.read(new ByteArrayInputStream(body), version);
        } catch (InvalidPriceEntryException invalid) {
            throw ApiError.badRequest(invalid.field(), invalid.reason());
        } catch (IOException | IllegalArgumentException unreadable) {
            throw ApiError.badRequest("body", "not a " + format.wireName() + " catalog: " + unreadable.getMessage());
        }
        List<PriceEntry> entries = read.entries().stream().map(CatalogPrices::priceEntry).toList();
        PriceImportPlan plan = prices.importEntries(entries, dryRun);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("format", format.wireName());
        answer.put("dry_run", dryRun);
        answer.put("read", entries.size());
        answer.put("skipped", read.skipped());
        answer.put("added", plan.added().stream().map(PriceRoutes::view).toList());
        answer.put("changed", plan.changed().stream().map(change -> Map.of("before", view(change.before()),
                "after", view(change.after()))).toList());
        answer.put("unchanged", plan.unchanged());
        context.status(dryRun ? 200 : 201).json(answer);
    }

    private static boolean flag(Context context, String name) {
        String value = context.queryParam(name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiError.badRequest(name, "must be true or false, was " + value);
    }

    private static LocalDate date(JsonBody body, String field) {
        String text = body.text(field);
        if (text == null) {
            return null;
        }
        LocalDate date;
        try {
            date = LocalDate.parse(text);
        } catch (DateTimeParseException notDate) {
            throw ApiError.badRequest(field, "must be a date in YYYY-MM-DD format");
        }
        if (date.getYear() < 2000 || date.getYear() > 9999) {
            throw ApiError.badRequest(field, "must be a date between the years 2000 and 9999");
        }
        return date;
    }

    private static BigDecimal decimal(JsonBody body, String field) {
        var node = body.raw(field);
        if (node == null) {
            return null;
        }
        if (!node.isNumber()) {
            throw ApiError.badRequest(field, "must be a number");
        }
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            throw ApiError.badRequest(field, "is too large");
        }
        return node.decimalValue();
    }

    static Map<String, Object> view(PriceEntry entry) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", entry.id());
        view.put("tenant_id", entry.tenantId());
        view.put("provider", entry.provider());
        view.put("model", entry.model());
        view.put("effective_from", entry.effectiveFrom().toString());
        view.put("unit", entry.unit().name().toLowerCase(java.util.Locale.ROOT));
        view.put("prefix", entry.prefix());
        view.putAll(entry.rates());
        view.put("source", entry.source());
        return view;
    }
}
