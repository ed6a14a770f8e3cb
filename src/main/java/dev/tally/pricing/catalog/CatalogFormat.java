package dev.tally.pricing.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The public catalogs an operator can import, by the names the CLI and the route take. */
public enum CatalogFormat {
    /** LiteLLM's {@code model_prices_and_context_window.json}. */
    LITELLM("litellm"),
    /** The data of the {@code @pydantic/genai-prices} package: a JSON array of providers. */
    GENAI_PRICES("genai-prices"),
    /** Tally's own catalog format, as bundled ({@link CatalogFile}). */
    TALLY("tally");

    private final String wireName;

    CatalogFormat(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<CatalogFormat> named(String name) {
        return Arrays.stream(values()).filter(format -> format.wireName.equals(name.toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    /** Every wire name, for error messages and help. */
    public static String names() {
        return String.join("|", Arrays.stream(values()).map(CatalogFormat::wireName).toList());
    }

    /**
     * Reads a catalog of this format.
     *
     * @param version the catalog's version, named in every entry's source; null for none
     * @throws IOException when the text is not a catalog of this format
     */
    public CatalogImport read(InputStream json, String version) throws IOException {
        return switch (this) {
            case LITELLM -> LiteLlmCatalog.read(json, version);
            case GENAI_PRICES -> GenAiPricesCatalog.read(json, version);
            case TALLY -> new CatalogImport(CatalogFile.read(json).entries(), new java.util.TreeMap<>(Map.of()));
        };
    }
}
