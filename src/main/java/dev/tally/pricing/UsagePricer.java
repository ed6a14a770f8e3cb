package dev.tally.pricing;

import dev.tally.event.CostSource;
import dev.tally.event.Event;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * Prices the events that are not LLM requests ({@code stt}, {@code tts}, {@code sms}, {@code call})
 * by their one unit, with the entry in force at the event's time, rounded once, half-even, to whole
 * nano-USD. A reported {@code cost_usd} wins and is kept as it is.
 *
 * <ul>
 *   <li>stt: audio minutes ({@code duration_seconds} ÷ 60, to the millisecond, not rounded up) × {@code per_audio_minute};
 *   <li>tts: {@code characters} ÷ 1,000,000 × {@code per_million_characters};
 *   <li>sms: billed segments (the carrier's {@code segments} when reported, else Tally's count) × the rate of the
 *       message's direction;
 *   <li>call: call minutes, like stt's, × the rate of the call's direction, from the entry with the longest
 *       prefix of the call's {@code phone_number}.
 * </ul>
 * A missing quantity counts as 0 (a call in progress has no duration yet). No entry, an entry
 * without a rate for the event's direction, or a call without a direction (its rate depends on
 * it): cost 0 and {@link CostSource#UNPRICED}, so the
 * event is counted, never dropped. These units earn no credits: credits count tokens.
 */
final class UsagePricer {
    private static final BigDecimal NANOS_PER_USD = BigDecimal.valueOf(1_000_000_000L);
    /** Nano-USD per minute of rate, per millisecond: 10^9 ÷ 60,000 = 10^5 ÷ 6. */
    private static final BigDecimal HUNDRED_THOUSAND = BigDecimal.valueOf(100_000L);
    private static final BigDecimal SIX = BigDecimal.valueOf(6);
    /** USD per million characters × characters is micro-USD; a thousand nano-USD each. */
    private static final int MICRO_TO_NANO_DIGITS = 3;

    private UsagePricer() {
    }

    static void price(Event event, PriceUnit unit, PriceBook book) {
        if (event.costSource == CostSource.REPORTED) {
            return;
        }
        String number = unit == PriceUnit.CALL_MINUTE ? event.phoneNumber : null;
        Optional<BigDecimal> rate = book.find(unit, event.tenantId, event.provider, event.model, number, event.timeMs)
                .flatMap(entry -> rate(entry, unit, event.direction));
        if (rate.isEmpty()) {
            event.costNanos = 0;
            event.costSource = CostSource.UNPRICED;
            return;
        }
        event.costNanos = Pricer.bounded(nanos(event, unit, rate.get()), quantityField(event, unit));
        event.costSource = CostSource.COMPUTED;
    }

    private static Optional<BigDecimal> rate(PriceEntry entry, PriceUnit unit, String direction) {
        return switch (unit) {
            case AUDIO_MINUTE -> Optional.of(entry.perAudioMinute());
            case CHARACTERS -> Optional.of(entry.perMillionCharacters());
            case SEGMENT -> byDirection(direction, entry.perSegmentOutbound(), entry.perSegmentInbound());
            case CALL_MINUTE -> byDirection(direction, entry.perMinuteOutbound(), entry.perMinuteInbound());
            case TOKENS -> throw new IllegalArgumentException("tokens are priced by Pricer");
        };
    }

    private static Optional<BigDecimal> byDirection(String direction, BigDecimal outbound, BigDecimal inbound) {
        // an entry may price one direction only: the other is unpriced, not free
        if ("outbound".equals(direction)) {
            return Optional.ofNullable(outbound);
        }
        return "inbound".equals(direction) ? Optional.ofNullable(inbound) : Optional.empty();
    }

    private static BigDecimal nanos(Event event, PriceUnit unit, BigDecimal rate) {
        return switch (unit) {
            case AUDIO_MINUTE, CALL_MINUTE -> perMinute(event.durationMs, rate);
            case CHARACTERS -> rate.multiply(BigDecimal.valueOf(orZero(event.characters)))
                    .movePointRight(MICRO_TO_NANO_DIGITS);
            case SEGMENT -> rate.multiply(BigDecimal.valueOf(event.billedSegments())).multiply(NANOS_PER_USD);
            case TOKENS -> throw new IllegalArgumentException("tokens are priced by Pricer");
        };
    }

    private static BigDecimal perMinute(Long durationMs, BigDecimal ratePerMinute) {
        return ratePerMinute.multiply(BigDecimal.valueOf(orZero(durationMs))).multiply(HUNDRED_THOUSAND)
                .divide(SIX, 0, RoundingMode.HALF_EVEN);
    }

    /** The field a person would change when the cost is out of range. */
    private static String quantityField(Event event, PriceUnit unit) {
        return switch (unit) {
            case AUDIO_MINUTE, CALL_MINUTE -> "duration_seconds";
            case CHARACTERS -> "characters";
            case SEGMENT -> event.carrierSegments != null ? "segments" : "characters";
            case TOKENS -> "input_tokens";
        };
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
