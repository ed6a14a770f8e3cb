package dev.tally.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one configured ObjectMapper. Snake case by default because most of the APIs Tally mirrors
 * use it; the camelCase reports mark their records with {@code @JsonNaming}.
 */
public final class Json {
    /**
     * No request body Tally takes nests deeper than a few levels; refusing deeper ones early keeps
     * a hostile body (100,000 brackets) from costing more than its bytes.
     */
    public static final int MAX_NESTING = 64;

    public static final ObjectMapper MAPPER = strict(new ObjectMapper())
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {
    }

    /**
     * Reads JSON strictly, as every request body is read: a key twice in one object, anything after
     * the JSON value, or nesting beyond {@link #MAX_NESTING} is an error rather than silently
     * resolved (the last key winning, the rest ignored).
     */
    public static ObjectMapper strict(ObjectMapper mapper) {
        mapper.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING).build());
        return mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
