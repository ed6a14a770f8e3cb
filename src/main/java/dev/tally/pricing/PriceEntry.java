package dev.tally.pricing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One line of a price book: what one provider charges for one unit ({@link PriceUnit}) of a model,
 * from a UTC date on. Token entries (the only kind of version 1) hold USD per million tokens of
 * each token class and the multiplier that turns tokens into credits; the other units hold USD per
 * audio minute, per million characters, per SMS segment or per call minute.
 *
 * <p>{@code model} is either an exact model name or a pattern: a name ending in {@code '*'}
 * matches every model that starts with the text before the star ({@code "claude-sonnet-4*"}
 * matches {@code "claude-sonnet-4-20250514"}); a lone {@code "*"} matches every model of the
 * provider, and is the only entry that prices an event naming no model (calls and SMS name none).
 * A star anywhere else is rejected, because it would read like a wildcard and silently match nothing.
 *
 * <p>An entry prices exactly one unit, so which events it prices never depends on which rates
 * happen to be null. A token entry needs the input rate, the output rate and the credit
 * multiplier; a missing token rate means "no separate price for that class": {@link Pricer} then
 * charges the cached and the cache-creation tokens at the input rate and the audio tokens at the
 * text rate of the same direction. Every other unit needs all its rates (both directions for SMS
 * and calls) and no multiplier, since credits are counted in tokens. Only a call entry may name
 * an E.164 {@code prefix}: the longest prefix of the call's number wins.
 *
 * @param id stable identifier ({@code provider/model@effective_from} for the defaults); may be null before storing
 * @param tenantId null for the platform default book, else the tenant whose override this is
 * @param longContextThresholdTokens for token entries with a long-context tier: the prompt length
 *        ({@code input_tokens + cache_creation_input_tokens}) above which the tier's rates apply
 * @param source where the price came from (a catalog and its version, or a provider's page); null when not said
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
        BigDecimal creditMultiplier,
        BigDecimal perAudioMinute,
        BigDecimal perMillionCharacters,
        BigDecimal perSegmentOutbound,
        BigDecimal perSegmentInbound,
        BigDecimal perMinuteOutbound,
        BigDecimal perMinuteInbound,
        String prefix,
        Long longContextThresholdTokens,
        BigDecimal longContextInputPerMillion,
        BigDecimal longContextOutputPerMillion,
        String source) {

    /** The name of the credit multiplier among the rates a store or a route reads by name. */
    public static final String CREDIT_MULTIPLIER = "credit_multiplier";
    private static final char PATTERN_MARK = '*';
    private static final int MAX_DECIMALS = 6;
    private static final BigDecimal MAX_RATE = new BigDecimal("999999999999.999999");
    private static final Pattern E164_PREFIX = Pattern.compile("\\+[0-9]{1,15}");
    private static final List<String> RATE_NAMES = rateNameList();

    public PriceEntry {
        requireNullOrNonBlank("id", id);
        requireNullOrNonBlank("tenant_id", tenantId);
        requireNullOrNonBlank("source", source);
        requireNonBlank("provider", provider);
        requireNonBlank("model", model);
        int star = model.indexOf(PATTERN_MARK);
        if (star >= 0 && star != model.length() - 1) {
            throw new InvalidPriceEntryException("model", "'*' is allowed only as the last character (a prefix pattern)");
        }
        if (effectiveFrom == null) {
            throw new InvalidPriceEntryException("effective_from", "required");
        }
        if (longContextThresholdTokens != null && longContextThresholdTokens <= 0) {
            throw new InvalidPriceEntryException(PriceUnit.LONG_CONTEXT_THRESHOLD,
                    "must be a positive number of tokens, was " + longContextThresholdTokens);
        }
        Map<String, BigDecimal> rates = rateMap(inputPerMillion, cachedInputPerMillion, cacheCreationPerMillion,
                outputPerMillion, inputAudioPerMillion, outputAudioPerMillion, creditMultiplier,
                longContextThresholdTokens == null ? null : BigDecimal.valueOf(longContextThresholdTokens),
                longContextInputPerMillion, longContextOutputPerMillion, perAudioMinute,
                perMillionCharacters, perSegmentOutbound, perSegmentInbound, perMinuteOutbound, perMinuteInbound);
        rates.forEach(PriceEntry::requireRate);
        PriceUnit unit = onlyUnit(rates);
        requireRatesOf(unit, rates);
        if (unit == PriceUnit.TOKENS && creditMultiplier == null) {
            throw new InvalidPriceEntryException(CREDIT_MULTIPLIER, "required");
        }
        if (unit != PriceUnit.TOKENS && creditMultiplier != null) {
            throw new InvalidPriceEntryException(CREDIT_MULTIPLIER, "applies to token prices only: credits count tokens");
        }
        if (prefix != null && unit != PriceUnit.CALL_MINUTE) {
            throw new InvalidPriceEntryException("prefix", "applies to call prices (per_minute_outbound, per_minute_inbound) only");
        }
        if (prefix != null && !E164_PREFIX.matcher(prefix).matches()) {
            throw new InvalidPriceEntryException("prefix", "must be the start of an E.164 number, like +44");
        }
    }

    /**
     * The rates a unit cannot do without. Tokens: input and output, and the long-context tier whole
     * or not at all. Segments and call minutes: at least one direction, since catalogs often list one
     * (a carrier's outbound rate); a message or call of the other direction is then unpriced, not free.
     */
    private static void requireRatesOf(PriceUnit unit, Map<String, BigDecimal> rates) {
        switch (unit) {
            case TOKENS -> {
                for (String rate : List.of("input_per_million", "output_per_million")) {
                    if (rates.get(rate) == null) {
                        throw new InvalidPriceEntryException(rate, "required");
                    }
                }
                boolean threshold = rates.get(PriceUnit.LONG_CONTEXT_THRESHOLD) != null;
                for (String rate : List.of("long_context_input_per_million", "long_context_output_per_million")) {
                    if (threshold != (rates.get(rate) != null)) {
                        throw new InvalidPriceEntryException(threshold ? rate : PriceUnit.LONG_CONTEXT_THRESHOLD,
                                "a long-context tier needs its threshold and both its rates");
                    }
                }
            }
            case AUDIO_MINUTE, CHARACTERS -> {
                String rate = unit.rates().get(0);
                if (rates.get(rate) == null) {
                    throw new InvalidPriceEntryException(rate, "required");
                }
            }
            case SEGMENT, CALL_MINUTE -> {
                if (unit.rates().stream().allMatch(rate -> rates.get(rate) == null)) {
                    throw new InvalidPriceEntryException(String.join("|", unit.rates()),
                            "at least one direction's rate is required");
                }
            }
        }
    }

    /** A token entry, as version 1 knew entries. */
    public PriceEntry(String id, String tenantId, String provider, String model, LocalDate effectiveFrom,
                      BigDecimal inputPerMillion, BigDecimal cachedInputPerMillion, BigDecimal cacheCreationPerMillion,
                      BigDecimal outputPerMillion, BigDecimal inputAudioPerMillion, BigDecimal outputAudioPerMillion,
                      BigDecimal creditMultiplier) {
        this(id, tenantId, provider, model, effectiveFrom, inputPerMillion, cachedInputPerMillion,
                cacheCreationPerMillion, outputPerMillion, inputAudioPerMillion, outputAudioPerMillion, creditMultiplier,
                null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * An entry from its rates by their JSON names ({@link #rateNames()}), as stores and routes hold
     * them; a name not given is null.
     */
    public static PriceEntry of(String id, String tenantId, String provider, String model, LocalDate effectiveFrom,
                                String prefix, Map<String, BigDecimal> rates) {
        return of(id, tenantId, provider, model, effectiveFrom, prefix, rates, null);
    }

    /** As {@link #of(String, String, String, String, LocalDate, String, Map)}, with the price's source. */
    public static PriceEntry of(String id, String tenantId, String provider, String model, LocalDate effectiveFrom,
                                String prefix, Map<String, BigDecimal> rates, String source) {
        BigDecimal threshold = rates.get(PriceUnit.LONG_CONTEXT_THRESHOLD);
        return new PriceEntry(id, tenantId, provider, model, effectiveFrom, rates.get("input_per_million"),
                rates.get("cached_input_per_million"), rates.get("cache_creation_per_million"),
                rates.get("output_per_million"), rates.get("input_audio_per_million"),
                rates.get("output_audio_per_million"), rates.get(CREDIT_MULTIPLIER), rates.get("per_audio_minute"),
                rates.get("per_million_characters"), rates.get("per_segment_outbound"),
                rates.get("per_segment_inbound"), rates.get("per_minute_outbound"), rates.get("per_minute_inbound"),
                prefix, threshold == null ? null : wholeTokens(threshold), rates.get("long_context_input_per_million"),
                rates.get("long_context_output_per_million"), source);
    }

    private static long wholeTokens(BigDecimal threshold) {
        try {
            return threshold.longValueExact();
        } catch (ArithmeticException notWhole) {
            throw new InvalidPriceEntryException(PriceUnit.LONG_CONTEXT_THRESHOLD,
                    "must be a whole number of tokens, was " + threshold.toPlainString());
        }
    }

    /** Every rate's JSON name, the credit multiplier included, in the order of the record. */
    public static List<String> rateNames() {
        return RATE_NAMES;
    }

    private static List<String> rateNameList() {
        List<String> names = new ArrayList<>(PriceUnit.firstRates());
        names.add(CREDIT_MULTIPLIER);
        names.addAll(PriceUnit.addedRates());
        return List.copyOf(names);
    }

    /** The rates by their JSON names, in the order of {@link #rateNames()}; absent rates map to null. */
    public Map<String, BigDecimal> rates() {
        return rateMap(inputPerMillion, cachedInputPerMillion, cacheCreationPerMillion, outputPerMillion,
                inputAudioPerMillion, outputAudioPerMillion, creditMultiplier,
                longContextThresholdTokens == null ? null : BigDecimal.valueOf(longContextThresholdTokens),
                longContextInputPerMillion, longContextOutputPerMillion, perAudioMinute, perMillionCharacters,
                perSegmentOutbound, perSegmentInbound, perMinuteOutbound, perMinuteInbound);
    }

    /** Whether a request with this prompt length is priced at the long-context tier. */
    public boolean isLongContext(long promptTokens) {
        return longContextThresholdTokens != null && promptTokens > longContextThresholdTokens;
    }

    /** This entry under another id: what a store keeps of an entry given without one. */
    public PriceEntry withId(String newId) {
        return of(newId, tenantId, provider, model, effectiveFrom, prefix, rates(), source);
    }

    /** The one unit whose rates this entry holds. */
    public PriceUnit unit() {
        return onlyUnit(rates());
    }

    /**
     * Whether the two entries would price the same events from the same day, so that a book
     * holding both could not say which applies.
     */
    public boolean conflictsWith(PriceEntry other) {
        return key().equals(other.key());
    }

    /** What an entry is unique by within a book: two entries with one key would make the price ambiguous. */
    public Key key() {
        return new Key(tenantId, provider, model, effectiveFrom, unit(), prefix);
    }

    /** See {@link #key()}. */
    public record Key(String tenantId, String provider, String model, LocalDate effectiveFrom, PriceUnit unit,
                      String prefix) { }

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

    /** Whether a call from or to this number is priced by this entry: always without a prefix. */
    public boolean coversNumber(String number) {
        return prefix == null || number != null && number.startsWith(prefix);
    }

    /** How specific the entry is about numbers: the longest matching prefix wins. */
    public int prefixLength() {
        return prefix == null ? 0 : prefix.length();
    }

    private static Map<String, BigDecimal> rateMap(BigDecimal... values) {
        Map<String, BigDecimal> rates = new java.util.LinkedHashMap<>();
        for (int index = 0; index < RATE_NAMES.size(); index++) {
            rates.put(RATE_NAMES.get(index), values[index]);
        }
        return rates;
    }

    /**
     * The unit of the rates given. None at all reads as a token entry missing its input rate,
     * which is what version 1 said of an empty entry.
     */
    private static PriceUnit onlyUnit(Map<String, BigDecimal> rates) {
        PriceUnit found = null;
        String firstRate = null;
        for (PriceUnit unit : PriceUnit.values()) {
            for (String rate : unit.rates()) {
                if (rates.get(rate) == null) {
                    continue;
                }
                if (found != null && found != unit) {
                    throw new InvalidPriceEntryException(rate, "an entry prices one unit and this one has "
                            + firstRate + " already: give each unit its own entry");
                }
                if (found == null) {
                    found = unit;
                    firstRate = rate;
                }
            }
        }
        return found == null ? PriceUnit.TOKENS : found;
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

    private static void requireRate(String field, BigDecimal value) {
        if (value == null) {
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
