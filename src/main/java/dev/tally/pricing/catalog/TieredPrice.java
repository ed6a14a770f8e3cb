package dev.tally.pricing.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * One genai-prices rate: a plain number, or a base price with tiers by prompt size. Only the first
 * tier has a place in a {@link CatalogEntry}, since no provider in the data has a second one for
 * the same rate.
 */
record TieredPrice(BigDecimal base, Long firstTierStart, BigDecimal firstTierPrice) {
    private static final TieredPrice ABSENT = new TieredPrice(null, null, null);

    static TieredPrice of(JsonNode node) {
        if (node == null || node.isNull()) {
            return ABSENT;
        }
        if (node.isNumber()) {
            return new TieredPrice(UnitConversion.sixDecimals(node.decimalValue()), null, null);
        }
        BigDecimal base = CatalogJson.decimal(node, "base");
        JsonNode tiers = node.get("tiers");
        if (tiers == null || !tiers.isArray() || tiers.isEmpty()) {
            return new TieredPrice(UnitConversion.sixDecimals(base), null, null);
        }
        JsonNode lowest = tiers.get(0);
        for (JsonNode tier : tiers) {
            if (tier.path("start").asLong() < lowest.path("start").asLong()) {
                lowest = tier;
            }
        }
        return new TieredPrice(UnitConversion.sixDecimals(base), lowest.path("start").asLong(),
                UnitConversion.sixDecimals(CatalogJson.decimal(lowest, "price")));
    }

    /** The tier's price when this rate's first tier starts at {@code threshold}, else null. */
    BigDecimal priceFrom(long threshold) {
        return firstTierStart != null && firstTierStart == threshold ? firstTierPrice : null;
    }
}
