package dev.tally.tenant;

import dev.tally.text.WireName;
import java.math.BigDecimal;
import java.util.Optional;

/** What a budget counts, and the integer unit its spending is summed in. */
public enum BudgetMeasure implements WireName {
    /** Cost in USD, summed in nano-dollars as every cost is stored. */
    COST_USD("cost_usd", 9),
    /** Credits of LLM requests, summed in micro-credits as they are stored. */
    CREDITS("credits", 6);

    private final String wireName;
    private final int unitScale;

    BudgetMeasure(String wireName, int unitScale) {
        this.wireName = wireName;
        this.unitScale = unitScale;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    /** The stored integer units of an amount ({@code 1.5} USD: 1,500,000,000 nano-dollars), exact or rounded half up. */
    public long units(BigDecimal amount) {
        return amount.movePointRight(unitScale).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    /** The amount of stored integer units, exact. */
    public BigDecimal amount(long units) {
        return amount(BigDecimal.valueOf(units));
    }

    /** The amount of a number of stored units that may not fit a long (a forecast). */
    public BigDecimal amount(BigDecimal units) {
        BigDecimal amount = units.movePointLeft(unitScale).stripTrailingZeros();
        return amount.scale() < 0 ? amount.setScale(0) : amount;
    }

    public static Optional<BudgetMeasure> fromWire(String name) {
        return WireName.find(values(), name);
    }
}
