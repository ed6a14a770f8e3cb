package dev.tally.pricing.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.tally.pricing.InvalidPriceEntryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Tally's own catalog format: a {@code provenance} object that says where the prices came from,
 * and the {@code entries} with snake_case keys, absent rates left out, sorted by
 * {@link CatalogImport#ORDER}. Reading validates every entry and rejects two entries with one key.
 */
public record CatalogFile(JsonNode provenance, List<CatalogEntry> entries) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public CatalogFile {
        Objects.requireNonNull(provenance, "provenance");
        entries = entries.stream().sorted(CatalogImport.ORDER).toList();
        rejectDuplicates(entries);
    }

    /**
     * @throws InvalidPriceEntryException when an entry breaks a rule, naming the field
     * @throws IllegalArgumentException when two entries share a key
     */
    public static CatalogFile read(InputStream json) throws IOException {
        JsonNode root = JSON.readTree(json);
        JsonNode entries = root.get("entries");
        if (entries == null || !entries.isArray()) {
            throw new IOException("a catalog file is an object with an \"entries\" array");
        }
        try {
            List<CatalogEntry> parsed = JSON.readerForListOf(CatalogEntry.class).readValue(entries);
            return new CatalogFile(root.path("provenance"), parsed);
        } catch (ValueInstantiationException wrapped) {
            // Jackson wraps the record's own validation error; callers want the field it names
            if (wrapped.getCause() instanceof InvalidPriceEntryException invalid) {
                throw invalid;
            }
            throw wrapped;
        }
    }

    /** One entry a line, so that a regenerated catalog diffs line by line. */
    public void write(OutputStream out) throws IOException {
        StringBuilder text = new StringBuilder("{\n  \"provenance\": ")
                .append(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(provenance).replace("\n", "\n  "))
                .append(",\n  \"entries\": [\n");
        for (int index = 0; index < entries.size(); index++) {
            text.append("    ").append(JSON.writeValueAsString(entries.get(index)))
                    .append(index + 1 < entries.size() ? ",\n" : "\n");
        }
        text.append("  ]\n}\n");
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void rejectDuplicates(List<CatalogEntry> entries) {
        Map<CatalogKey, CatalogEntry> seen = new HashMap<>();
        for (CatalogEntry entry : entries) {
            CatalogEntry earlier = seen.putIfAbsent(CatalogKey.of(entry), entry);
            if (earlier != null) {
                throw new IllegalArgumentException("two catalog entries for " + CatalogKey.of(entry)
                        + " (sources " + earlier.source() + " and " + entry.source() + ")");
            }
        }
    }
}
