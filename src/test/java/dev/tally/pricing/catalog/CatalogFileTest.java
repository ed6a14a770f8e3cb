package dev.tally.pricing.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tally.pricing.InvalidPriceEntryException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogFileTest {

    private static CatalogFile read(String json) throws IOException {
        return CatalogFile.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void writesWhatItReadsBackEqual() throws IOException {
        List<CatalogEntry> entries = new ArrayList<>(LiteLlmCatalog.read(Excerpts.open(Excerpts.LITELLM)).entries());
        entries.addAll(CatalogFile.read(Excerpts.open(Excerpts.HAND_COLLECTED)).entries());
        CatalogFile written = new CatalogFile(JsonNodeFactory.instance.objectNode().put("fetched", "2026-12-04"), entries);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        written.write(out);
        String text = out.toString(StandardCharsets.UTF_8);
        CatalogFile reread = read(text);

        assertThat(reread.entries()).isEqualTo(written.entries());
        assertThat(reread.provenance().path("fetched").asText()).isEqualTo("2026-12-04");
        // plain decimals, absent rates left out, one entry a line
        assertThat(text).contains("\"per_audio_minute\":0.0043}").doesNotContain("E-").doesNotContain("null");
        assertThat(text.lines().filter(line -> line.startsWith("    {\"kind\""))).hasSize(entries.size());
    }

    @Test
    void rejectsTwoEntriesWithOneKey() {
        String entry = "{\"kind\": \"TTS\", \"provider\": \"openai\", \"model\": \"tts-1\", \"effective_from\": \"2026-01-01\","
                + " \"source\": \"%s\", \"per_million_characters\": 15}";

        assertThatThrownBy(() -> read("{\"provenance\": {}, \"entries\": [" + entry.formatted("a") + ", "
                + entry.formatted("b") + "]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two catalog entries for TTS openai/tts-1 from 2026-01-01 (sources a and b)");
    }

    @Test
    void namesTheFieldOfAnInvalidEntry() {
        assertThatThrownBy(() -> read("{\"provenance\": {}, \"entries\": [{\"kind\": \"SMS\", \"provider\": \"twilio\","
                + " \"model\": \"*\", \"effective_from\": \"2026-01-01\", \"source\": \"x\", \"per_minute_inbound\": 1}]}"))
                .isInstanceOfSatisfying(InvalidPriceEntryException.class,
                        invalid -> assertThat(invalid.field()).isEqualTo("per_minute_inbound"));
    }

    @Test
    void refusesAFileWithoutEntries() {
        assertThatThrownBy(() -> read("{\"provenance\": {}}"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("\"entries\" array");
    }
}
