package dev.tally.pricing.catalog;

import static dev.tally.pricing.catalog.CatalogJson.decimal;
import static dev.tally.pricing.catalog.CatalogJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the data of {@code genai-prices} (Pydantic): a JSON array of providers, each with models
 * whose {@code prices} are USD per million tokens ({@code input_mtok}, {@code cache_read_mtok},
 * …) or per hour of transcribed audio ({@code input_audio_hours}).
 *
 * <p>{@code prices} is either one set of prices or a list of periods. A period without a
 * constraint is the model's first price ({@link CatalogEntry#UNDATED}); one with a
 * {@code start_date} constraint becomes its own entry from that date. A model with a period bounded
 * by a time of day (off-peak discounts) is skipped whole and counted: a dated entry cannot say
 * which hours its price holds for.
 *
 * <p>A tiered price ({@code {"base": 3, "tiers": [{"start": 200000, "price": 6}]}}) gives its base
 * as the rate and its first tier as the long-context tier; genai-prices' {@code start} means
 * "more than this many prompt tokens", as {@link CatalogEntry#longContextThresholdTokens} does.
 */
public final class GenAiPricesCatalog {
    public static final String NAME = "genai-prices";

    private GenAiPricesCatalog() {
    }

    public static CatalogImport read(InputStream json) throws IOException {
        return read(json, null);
    }

    /** @param version the package version or commit, named in every entry's source; null for none */
    public static CatalogImport read(InputStream json, String version) throws IOException {
        JsonNode root = CatalogJson.read(json);
        if (!root.isArray()) {
            throw new IOException("genai-prices data is a JSON array of providers, not " + root.getNodeType());
        }
        String source = CatalogJson.source(NAME, version);
        ImportTally tally = new ImportTally();
        for (JsonNode provider : root) {
            String providerId = text(provider, "id");
            JsonNode models = provider.get("models");
            if (providerId == null || models == null || !models.isArray()) {
                tally.skip("provider without id or models");
                continue;
            }
            for (JsonNode model : models) {
                readModel(providerId, model, source, tally);
            }
        }
        return tally.result();
    }

    private static void readModel(String provider, JsonNode model, String source, ImportTally tally) {
        String modelId = text(model, "id");
        JsonNode prices = model.get("prices");
        if (modelId == null || prices == null) {
            tally.skip("model without id or prices");
            return;
        }
        if (!prices.isArray()) {
            readPeriod(provider, modelId, CatalogEntry.UNDATED, prices, source, tally);
            return;
        }
        List<LocalDate> starts = new ArrayList<>();
        for (JsonNode period : prices) {
            starts.add(periodStart(period.get("constraint")));
        }
        // without its hours, an off-peak price would read as the price of the whole day
        if (starts.contains(null)) {
            tally.skip("model priced by time of day");
            return;
        }
        for (int index = 0; index < prices.size(); index++) {
            readPeriod(provider, modelId, starts.get(index), prices.get(index).get("prices"), source, tally);
        }
    }

    /** The period's first day, {@link CatalogEntry#UNDATED} without a constraint, null when it is not a dated period. */
    private static LocalDate periodStart(JsonNode constraint) {
        if (constraint == null || constraint.isNull()) {
            return CatalogEntry.UNDATED;
        }
        String startDate = text(constraint, "start_date");
        if (!"start_date".equals(text(constraint, "type")) || startDate == null) {
            return null;
        }
        try {
            return LocalDate.parse(startDate);
        } catch (DateTimeParseException notADate) {
            return null;
        }
    }

    private static void readPeriod(String provider, String model, LocalDate from, JsonNode prices, String source,
            ImportTally tally) {
        if (prices == null || !prices.isObject()) {
            tally.skip("price period without prices");
            return;
        }
        if (prices.has("input_mtok") && prices.has("output_mtok")) {
            tally.add(() -> languageModel(new CatalogEntryBuilder(CatalogKind.LLM, provider, model, from, source), prices),
                    true);
        } else if (decimal(prices, "input_audio_hours") != null) {
            BigDecimal perMinute = UnitConversion.perMinuteFromPerHour(decimal(prices, "input_audio_hours"));
            tally.add(() -> new CatalogEntryBuilder(CatalogKind.STT, provider, model, from, source)
                    .perAudioMinute(perMinute).build(), true);
        } else {
            tally.skip("no input and output token price nor transcription price");
        }
    }

    private static CatalogEntry languageModel(CatalogEntryBuilder entry, JsonNode prices) {
        TieredPrice input = TieredPrice.of(prices.get("input_mtok"));
        TieredPrice output = TieredPrice.of(prices.get("output_mtok"));
        entry.tokens(input.base(), TieredPrice.of(prices.get("cache_read_mtok")).base(),
                        TieredPrice.of(prices.get("cache_write_mtok")).base(), output.base())
                .audioTokens(TieredPrice.of(prices.get("input_audio_mtok")).base(),
                        TieredPrice.of(prices.get("output_audio_mtok")).base());
        Long threshold = input.firstTierStart() != null ? input.firstTierStart() : output.firstTierStart();
        if (threshold != null) {
            entry.longContext(threshold, input.priceFrom(threshold), output.priceFrom(threshold));
        }
        return entry.build();
    }
}
