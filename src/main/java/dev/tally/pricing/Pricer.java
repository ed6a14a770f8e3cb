package dev.tally.pricing;

import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;

/**
 * Prices an {@code llm} event at ingest with the entry in force at the event's time, so that the
 * stored cost and credits never move when prices change later.
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
 */
public final class Pricer {
    /** USD per million tokens × tokens is micro-USD; a thousand nano-USD each. */
    private static final int MICRO_TO_NANO_DIGITS = 3;
    /** Thousand tokens per credit, a million micro-credits per credit: × 1,000 in all. */
    private static final int TOKENS_TO_MICRO_CREDIT_DIGITS = 3;

    private Pricer() {
    }

    /** Sets event.costNanos, event.costSource and event.creditsMicros for an llm event (EventType.LLM). */
    public static void price(Event event, PriceBook book) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(book, "book");
        if (event.type != EventType.LLM) {
            return;
        }
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
        BigDecimal inputRate = entry.inputPerMillion();
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
     * @throws ArithmeticException beyond {@code Long.MAX_VALUE} nano-USD (about 9.2 billion USD)
     */
    public static long costNanos(Event event, PriceEntry entry) {
        BigDecimal inputRate = entry.inputPerMillion();
        BigDecimal outputRate = entry.outputPerMillion();
        long cached = Math.max(0, event.cachedInputTokens);
        long uncached = Math.max(0, event.inputTokens - cached);
        BigDecimal microUsd = BigDecimal.ZERO
                .add(times(uncached, inputRate))
                .add(times(cached, orElse(entry.cachedInputPerMillion(), inputRate)))
                .add(times(event.cacheCreationInputTokens, orElse(entry.cacheCreationPerMillion(), inputRate)))
                .add(times(event.outputTokens, outputRate))
                .add(times(event.inputAudioTokens, orElse(entry.inputAudioPerMillion(), inputRate)))
                .add(times(event.outputAudioTokens, orElse(entry.outputAudioPerMillion(), outputRate)));
        return microUsd.movePointRight(MICRO_TO_NANO_DIGITS).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /** The event's credits under this entry in micro-credits; see the class comment. */
    public static long creditsMicros(Event event, PriceEntry entry) {
        return BigDecimal.valueOf(event.totalTokens())
                .multiply(entry.creditMultiplier())
                .movePointRight(TOKENS_TO_MICRO_CREDIT_DIGITS)
                .setScale(0, RoundingMode.HALF_EVEN)
                .longValueExact();
    }

    private static BigDecimal times(long tokens, BigDecimal ratePerMillion) {
        // Rates are per million tokens, so tokens × rate is already micro-USD: no division, no rounding here.
        return BigDecimal.valueOf(tokens).multiply(ratePerMillion);
    }

    private static BigDecimal orElse(BigDecimal rate, BigDecimal fallback) {
        return rate != null ? rate : fallback;
    }
}
