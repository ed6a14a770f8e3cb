package dev.tally.pricing;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One line of a price book: what one provider's model costs, in USD per million tokens of each
 * token class, from a UTC date on, and the multiplier that turns its tokens into credits.
 *
 * <p>{@code model} is either an exact model name or a pattern: a name ending in {@code '*'}
 * matches every model that starts with the text before the star ({@code "claude-sonnet-4*"}
 * matches {@code "claude-sonnet-4-20250514"}); a lone {@code "*"} matches every model of the
 * provider. A star anywhere else is rejected, because it would read like a wildcard and silently
 * match nothing.
 *
 * <p>Only the input rate, the output rate and the credit multiplier are required. A missing rate
 * means "no separate price for that class": {@link Pricer} then charges the cached and the
 * cache-creation tokens at the input rate and the audio tokens at the text rate of the same
 * direction.
 *
 * @param id stable identifier ({@code provider/model@effective_from} for the defaults); may be null before storing
 * @param tenantId null for the platform default book, else the tenant whose override this is
 */
public record PriceEntry(
        String id,
        String tenantId,
        String provider,
        String model,
        LocalDate effectiveFrom,
        BigDecimal inputPerMillion,
        BigDecimal cachedInputPerMillion,
        BigDecimal cacheCreationPerMillion,
        BigDecimal outputPerMillion,
        BigDecimal inputAudioPerMillion,
        BigDecimal outputAudioPerMillion,
        BigDecimal creditMultiplier) {

    private static final char PATTERN_MARK = '*';
    private static final int MAX_DECIMALS = 6;
    private static final BigDecimal MAX_RATE = new BigDecimal("999999999999.999999");

    public PriceEntry {
        requireNullOrNonBlank("id", id);
        requireNullOrNonBlank("tenant_id", tenantId);
        requireNonBlank("provider", provider);
        requireNonBlank("model", model);
        int star = model.indexOf(PATTERN_MARK);
        if (star >= 0 && star != model.length() - 1) {
            throw new InvalidPriceEntryException("model", "'*' is allowed only as the last character (a prefix pattern)");
        }
        if (effectiveFrom == null) {
            throw new InvalidPriceEntryException("effective_from", "required");
        }
        requireRate("input_per_million", inputPerMillion, true);
        requireRate("cached_input_per_million", cachedInputPerMillion, false);
        requireRate("cache_creation_per_million", cacheCreationPerMillion, false);
        requireRate("output_per_million", outputPerMillion, true);
        requireRate("input_audio_per_million", inputAudioPerMillion, false);
        requireRate("output_audio_per_million", outputAudioPerMillion, false);
        requireRate("credit_multiplier", creditMultiplier, true);
    }

    /** Whether {@link #model()} is a prefix pattern rather than an exact name. */
    public boolean modelIsPattern() {
        return model.charAt(model.length() - 1) == PATTERN_MARK;
    }

    /** For a pattern, the text a model must start with; for an exact name, the name itself. */
    public String modelPrefix() {
        return modelIsPattern() ? model.substring(0, model.length() - 1) : model;
    }

    /** Whether this entry's model (exact or pattern) covers the given model name. */
    public boolean coversModel(String modelName) {
        if (modelName == null) {
            return false;
        }
        return modelIsPattern() ? modelName.startsWith(modelPrefix()) : modelName.equals(model);
    }

    private static void requireNonBlank(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidPriceEntryException(field, "required and must not be blank");
        }
    }

    private static void requireNullOrNonBlank(String field, String value) {
        if (value != null && value.isBlank()) {
            throw new InvalidPriceEntryException(field, "must not be blank when given");
        }
    }

    private static void requireRate(String field, BigDecimal value, boolean required) {
        if (value == null) {
            if (required) {
                throw new InvalidPriceEntryException(field, "required");
            }
            return;
        }
        if (value.signum() < 0) {
            throw new InvalidPriceEntryException(field, "must not be negative, was " + value.toPlainString());
        }
        // what every store keeps exactly (DuckDB's DECIMAL(18,6)): more would be rounded by one store and not another
        if (value.stripTrailingZeros().scale() > MAX_DECIMALS) {
            throw new InvalidPriceEntryException(field, "at most " + MAX_DECIMALS + " decimal places, was "
                    + value.toPlainString());
        }
        if (value.compareTo(MAX_RATE) > 0) {
            throw new InvalidPriceEntryException(field, "at most " + MAX_RATE.toPlainString() + ", was "
                    + value.toPlainString());
        }
    }
}
