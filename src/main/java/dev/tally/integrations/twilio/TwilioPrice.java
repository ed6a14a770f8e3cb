package dev.tally.integrations.twilio;

import dev.tally.error.Rejection;
import dev.tally.integrations.MappedEvent;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What Twilio charged, from {@code Price} and {@code PriceUnit}. Twilio reports a charge as a negative
 * decimal ({@code -0.00790}) and sends {@code Price} empty until it knows it. A price in USD (Twilio's
 * default, and its currency when {@code PriceUnit} is absent) is the event's reported cost. A price in
 * another currency is not converted: the event carries no reported cost (Tally's price book prices it,
 * else it counts as unpriced) and keeps Twilio's figure in its attributes {@code twilio_price} and
 * {@code twilio_price_unit}, so no euro is ever summed as a dollar.
 */
record TwilioPrice(BigDecimal charge, String amount, String unit) {
    private static final String PRICE = "Price";
    private static final String PRICE_UNIT = "PriceUnit";
    private static final Pattern AMOUNT = Pattern.compile("[-+]?[0-9]{1,12}(\\.[0-9]{1,12})?");
    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");

    /** The callback's price; empty while Twilio has none. */
    static Optional<TwilioPrice> of(TwilioForm form) {
        String amount = form.text(PRICE);
        if (amount == null) {
            return Optional.empty();
        }
        if (!AMOUNT.matcher(amount).matches()) {
            throw Rejection.invalid(PRICE, "must be a decimal amount such as -0.00790");
        }
        BigDecimal price = new BigDecimal(amount);
        if (price.signum() > 0) {
            throw Rejection.invalid(PRICE, "must be zero or negative: Twilio reports a charge as a negative amount");
        }
        String unit = form.text(PRICE_UNIT);
        if (unit != null && !CURRENCY.matcher(unit).matches()) {
            throw Rejection.invalid(PRICE_UNIT, "must be a three-letter currency code such as USD");
        }
        return Optional.of(new TwilioPrice(price.negate(), amount, unit == null ? "USD" : unit.toUpperCase(Locale.ROOT)));
    }

    void applyTo(MappedEvent event) {
        if (unit.equals("USD")) {
            event.put("cost_usd", charge, PRICE);
        } else {
            event.attribute("twilio_price", amount, PRICE).attribute("twilio_price_unit", unit, PRICE_UNIT);
        }
    }
}
