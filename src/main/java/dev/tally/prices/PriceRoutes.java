package dev.tally.prices;

import dev.tally.access.RequestAuth;
import dev.tally.http.ApiError;
import dev.tally.http.JsonBody;
import dev.tally.http.Routes;
import dev.tally.pricing.InvalidPriceEntryException;
import dev.tally.pricing.PriceEntry;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Operator endpoints to read and change the price book, behind the admin token. */
public final class PriceRoutes implements Routes {
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
                    date(body, "effective_from"), body.text("prefix"), rates);
        } catch (InvalidPriceEntryException invalid) {
            throw ApiError.badRequest(invalid.field(), invalid.reason());
        }
        context.status(201).json(view(prices.add(entry)));
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
        return view;
    }
}
