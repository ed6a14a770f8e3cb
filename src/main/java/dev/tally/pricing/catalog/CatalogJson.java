package dev.tally.pricing.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;

/** Reads the public catalogs' JSON with every number as the decimal it was written as. */
final class CatalogJson {
    /** A double would turn 2.1875e-06 into 2.1874999999999998e-06 before any conversion could be exact. */
    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private CatalogJson() {
    }

    static JsonNode read(InputStream json) throws IOException {
        return EXACT.readTree(json);
    }

    /** What every entry of one import names as its source: the catalog, and its version when known. */
    static String source(String catalogName, String version) {
        return version == null ? catalogName : catalogName + " " + version;
    }

    /** The field's number, or null when it is absent, null or not a number. */
    static BigDecimal decimal(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value != null && value.isNumber() ? value.decimalValue() : null;
    }

    static String text(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
