package dev.tally.pricing;

import dev.tally.error.Rejection;
import dev.tally.event.CostSource;
import dev.tally.event.Event;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;

/**
 * Prices an event at ingest with the entry in force at the event's time, so that the stored cost
 * and credits never move when prices change later. {@code llm} events are priced here, by tokens;
 * {@code stt}, {@code tts}, {@code sms} and {@code call} by {@link UsagePricer}; a {@code fee}
 * always carries its reported cost, and chats and messages cost nothing of their own.
 *
 * <h2>Cost</h2>
 *
 * USD = Σ tokens × rate per million ÷ 1,000,000, summed exactly in {@link BigDecimal} and rounded
 * once, half-even, to whole nano-USD. The token classes:
 * <ul>
 *   <li>{@code input_tokens − cached_input_tokens} at the input rate (never below zero), because
 *       the contract counts cached tokens inside {@code input_tokens} and they must not be paid twice;
 *   <li>{@code cached_input_tokens} at the cached rate, else the input rate;
 *   <li>{@code cache_creation_input_tokens} (not part of {@code input_tokens}) at the cache-creation
 *       rate, else the input rate;
 *   <li>{@code output_tokens} at the output rate;
 *   <li>{@code input_audio_tokens} and {@code output_audio_tokens} at their audio rates, else the
 *       text rate of the same direction.
 * </ul>
 * A request whose prompt ({@code input_tokens + cache_creation_input_tokens}) is longer than the
 * entry's long-context threshold pays the long-context input and output rates instead of the
 * ordinary text rates (and of the audio rates where those fall back to them). Cached and
 * cache-creation tokens keep their own rates: neither public catalog gives them a tier.
 * A cost the provider reported wins: when the ingest code has set {@code costSource} to
 * {@link CostSource#REPORTED}, the cost is kept as it is.
 *
 * <h2>Credits</h2>
 *
 * credits = {@link Event#totalTokens()} ÷ 1,000 × the entry's credit multiplier, stored in
 * micro-credits rounded half-even. Every token counts once whatever its class (the multiplier,
 * not the token class, carries the model's weight), and credits are computed from the entry even
 * when the cost was reported, since credits are Tally's unit and no provider reports them.
 *
 * <h2>No entry</h2>
 *
 * Cost 0 with {@link CostSource#UNPRICED} (a reported cost stays as reported) and 0 credits, so the
 * event is still stored and counted in the unpriced figure.
 *
 * <h2>Bounds</h2>
 *
 * A computed cost above {@link Event#MAX_COST_NANOS}, or credits beyond a long, throw an invalid
 * {@link Rejection} naming the quantity: the event is rejected, as a reported cost that high is, so
 * no sum wraps.
 */
public final class Pricer {
    /** USD per million tokens × tokens is micro-USD; a thousand nano-USD each. */
    private static final int MICRO_TO_NANO_DIGITS = 3;
    /** Thousand tokens per credit, a million micro-credits per credit: × 1,000 in all. */
    private static final int TOKENS_TO_MICRO_CREDIT_DIGITS = 3;

    private Pricer() {
    }

    /**
     * Sets event.costNanos and event.costSource (and for an llm event its credits and cost split)
     * for every type the book prices; leaves other types as parsed.
     *
     * @throws Rejection when the computed cost or credits are beyond one event's bound
     */
    public static void price(Event event, PriceBook book) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(book, "book");
        Optional<PriceUnit> unit = PriceUnit.of(event.type);
        if (unit.isEmpty()) {
            return;
        }
        switch (unit.get()) {
            case TOKENS -> priceTokens(event, book);
            case AUDIO_MINUTE, CHARACTERS, SEGMENT, CALL_MINUTE -> UsagePricer.price(event, unit.get(), book);
        }
    }

    private static void priceTokens(Event event, PriceBook book) {
        boolean reported = event.costSource == CostSource.REPORTED;
        Optional<PriceEntry> found = book.find(event.tenantId, event.provider, event.model, event.timeMs);
        if (found.isEmpty()) {
            if (!reported) {
                event.costNanos = 0;
                event.costSource = CostSource.UNPRICED;
            }
            event.creditsMicros = 0;
            splitCost(event, 0, 0);
            return;
        }
        PriceEntry entry = found.get();
        long computed = costNanos(event, entry);
        if (!reported) {
            event.costNanos = computed;
            event.costSource = CostSource.COMPUTED;
        }
        event.creditsMicros = creditsMicros(event, entry);
        splitCost(event, inputCostNanos(event, entry), computed);
    }

    /**
     * Splits the event's cost into input and output the way the price entry would, so reports can
     * show input and output cost; output is the remainder, so the two always add up to the cost.
     * A reported cost is split in the computed proportion, or counted as input when there is none.
     */
    private static void splitCost(Event event, long computedInput, long computedTotal) {
        if (computedTotal <= 0) {
            event.inputCostNanos = event.costNanos;
        } else if (event.costNanos == computedTotal) {
            event.inputCostNanos = computedInput;
        } else {
            event.inputCostNanos = BigDecimal.valueOf(event.costNanos).multiply(BigDecimal.valueOf(computedInput))
                    .divide(BigDecimal.valueOf(computedTotal), 0, RoundingMode.HALF_EVEN).longValueExact();
        }
        event.outputCostNanos = event.costNanos - event.inputCostNanos;
    }

    /** The input side (text, cached, cache creation, audio in) of {@link #costNanos}, rounded the same way. */
    static long inputCostNanos(Event event, PriceEntry entry) {
        BigDecimal inputRate = inputRate(event, entry);
        long cached = Math.max(0, event.cachedInputTokens);
        long uncached = Math.max(0, event.inputTokens - cached);
        BigDecimal microUsd = BigDecimal.ZERO
                .add(times(uncached, inputRate))
                .add(times(cached, orElse(entry.cachedInputPerMillion(), inputRate)))
                .add(times(event.cacheCreationInputTokens, orElse(entry.cacheCreationPerMillion(), inputRate)))
                .add(times(event.inputAudioTokens, orElse(entry.inputAudioPerMillion(), inputRate)));
        return microUsd.movePointRight(MICRO_TO_NANO_DIGITS).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /**
     * The event's cost under this entry in nano-USD, whatever the event's cost source.
     *
     * @throws Rejection above {@link Event#MAX_COST_NANOS}
     */
    public static long costNanos(Event event, PriceEntry entry) {
        BigDecimal inputRate = inputRate(event, entry);
        BigDecimal outputRate = entry.isLongContext(promptTokens(event)) ? entry.longContextOutputPerMillion()
                : entry.outputPerMillion();
        long cached = Math.max(0, event.cachedInputTokens);
        long uncached = Math.max(0, event.inputTokens - cached);
        BigDecimal microUsd = BigDecimal.ZERO
                .add(times(uncached, inputRate))
                .add(times(cached, orElse(entry.cachedInputPerMillion(), inputRate)))
                .add(times(event.cacheCreationInputTokens, orElse(entry.cacheCreationPerMillion(), inputRate)))
                .add(times(event.outputTokens, outputRate))
                .add(times(event.inputAudioTokens, orElse(entry.inputAudioPerMillion(), inputRate)))
                .add(times(event.outputAudioTokens, orElse(entry.outputAudioPerMillion(), outputRate)));
        return bounded(microUsd.movePointRight(MICRO_TO_NANO_DIGITS), largestTokenField(event));
    }

    /**
     * The prompt's length as providers measure it for their long-context tiers: every input token,
     * cached or not, and the tokens written to the cache, which the contract counts apart.
     */
    private static long promptTokens(Event event) {
        return event.inputTokens + event.cacheCreationInputTokens;
    }

    private static BigDecimal inputRate(Event event, PriceEntry entry) {
        return entry.isLongContext(promptTokens(event)) ? entry.longContextInputPerMillion() : entry.inputPerMillion();
    }

    /** The event's credits under this entry in micro-credits; see the class comment. */
    public static long creditsMicros(Event event, PriceEntry entry) {
        BigDecimal micros = BigDecimal.valueOf(event.totalTokens())
                .multiply(entry.creditMultiplier())
                .movePointRight(TOKENS_TO_MICRO_CREDIT_DIGITS)
                .setScale(0, RoundingMode.HALF_EVEN);
        if (micros.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw Rejection.invalid(largestTokenField(event), "gives more credits than one event may earn");
        }
        return micros.longValueExact();
    }

    /**
     * A computed cost in nano-USD (rounded half-even) as a long, or an invalid {@link Rejection} naming
     * {@code field} when it is above {@link Event#MAX_COST_NANOS}: ingest turns it into the event's rejection.
     */
    static long bounded(BigDecimal nanos, String field) {
        BigDecimal whole = nanos.setScale(0, RoundingMode.HALF_EVEN);
        if (whole.compareTo(BigDecimal.valueOf(Event.MAX_COST_NANOS)) > 0) {
            throw outOfRange(field, whole);
        }
        return whole.longValueExact();
    }

    private static Rejection outOfRange(String field, BigDecimal nanos) {
        return Rejection.invalid(field, "makes a cost of " + nanos.movePointLeft(9).setScale(2, RoundingMode.HALF_EVEN)
                .toPlainString() + " USD at the price in force, above the 1000000 USD one event may cost");
    }

    /** The token count that weighs most in the cost: the one to name when it is out of range. */
    private static String largestTokenField(Event event) {
        String field = "input_tokens";
        long largest = event.inputTokens;
        long[] counts = {event.cacheCreationInputTokens, event.outputTokens, event.inputAudioTokens,
            event.outputAudioTokens};
        String[] names = {"cache_creation_input_tokens", "output_tokens", "input_audio_tokens", "output_audio_tokens"};
        for (int index = 0; index < counts.length; index++) {
            if (counts[index] > largest) {
                largest = counts[index];
                field = names[index];
            }
        }
        return field;
    }

    private static BigDecimal times(long tokens, BigDecimal ratePerMillion) {
        // Rates are per million tokens, so tokens × rate is already micro-USD: no division, no rounding here.
        return BigDecimal.valueOf(tokens).multiply(ratePerMillion);
    }

    private static BigDecimal orElse(BigDecimal rate, BigDecimal fallback) {
        return rate != null ? rate : fallback;
    }
}
