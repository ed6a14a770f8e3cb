package dev.tally.pricing.catalog;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Regenerates {@code src/main/resources/dev/tally/pricing/catalog/catalog.json}; runs only when
 * asked, since it needs the two upstream files (see the README's "Price catalog" section):
 *
 * <pre>
 * mvn -B test -Dtest=CatalogGenerator -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dtally.catalog.litellm=/tmp/model_prices_and_context_window.json -Dtally.catalog.litellm.version=2026-08-01 \
 *   -Dtally.catalog.litellm.origin="where the file came from" \
 *   -Dtally.catalog.genai=/tmp/genai-prices.json -Dtally.catalog.genai.version=0.1.8 \
 *   -Dtally.catalog.genai.origin="where the data came from" -Dtally.catalog.fetched=2026-12-04
 * </pre>
 */
class CatalogGenerator {
    private static final Path OUTPUT = Path.of("src/main/resources/dev/tally/pricing/catalog/catalog.json");

    @Test
    @EnabledIfSystemProperty(named = "tally.catalog.litellm", matches = ".+")
    void regenerateTheBundledCatalog() throws IOException {
        String liteLlmVersion = System.getProperty("tally.catalog.litellm.version");
        String genAiVersion = System.getProperty("tally.catalog.genai.version");
        CatalogImport liteLlm;
        try (InputStream json = Files.newInputStream(Path.of(System.getProperty("tally.catalog.litellm")))) {
            liteLlm = LiteLlmCatalog.read(json, liteLlmVersion);
        }
        CatalogImport genAiPrices;
        try (InputStream json = Files.newInputStream(Path.of(System.getProperty("tally.catalog.genai")))) {
            genAiPrices = GenAiPricesCatalog.read(json, genAiVersion);
        }
        CatalogFile handCollected = CatalogFile.read(Excerpts.open(Excerpts.HAND_COLLECTED));

        ObjectNode provenance = JsonNodeFactory.instance.objectNode();
        provenance.put("generated_by", "src/test/java/dev/tally/pricing/catalog/CatalogGenerator.java (CatalogMerge says"
                + " which catalog wins); README, section \"Price catalog\", says how to run it");
        provenance.put("fetched", System.getProperty("tally.catalog.fetched"));
        provenance.put("litellm", LiteLlmCatalog.NAME + " " + liteLlmVersion);
        provenance.put("litellm_origin", System.getProperty("tally.catalog.litellm.origin"));
        provenance.put("genai_prices", GenAiPricesCatalog.NAME + " " + genAiVersion);
        provenance.put("genai_prices_origin", System.getProperty("tally.catalog.genai.origin"));
        provenance.put("hand_collected", "src/test/resources/dev/tally/pricing/catalog/hand-collected.json;"
                + " each entry's source is its page");
        provenance.put("undated", "effective_from " + CatalogEntry.UNDATED
                + " marks a price its catalog gives without a start date");
        provenance.put("units", "llm: USD per million tokens; stt: per audio minute; tts: per million characters;"
                + " sms: per segment; call: per minute");
        provenance.putPOJO("skipped_from_litellm", liteLlm.skipped());
        provenance.putPOJO("skipped_from_genai_prices", genAiPrices.skipped());

        CatalogFile catalog = new CatalogFile(provenance,
                CatalogMerge.merge(genAiPrices, liteLlm, handCollected.entries()));
        Files.createDirectories(OUTPUT.getParent());
        try (OutputStream out = Files.newOutputStream(OUTPUT)) {
            catalog.write(out);
        }
    }
}
