package dev.tally.pricing.catalog;

import static dev.tally.pricing.catalog.CatalogJson.decimal;
import static dev.tally.pricing.catalog.CatalogJson.text;
import static dev.tally.pricing.catalog.UnitConversion.perMillion;
import static dev.tally.pricing.catalog.UnitConversion.perMinuteFromPerSecond;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads LiteLLM's {@code model_prices_and_context_window.json}: one object per model key, with
 * USD prices per token, per second of audio or per character.
 *
 * <p>LiteLLM gives no dates, so every entry is {@link CatalogEntry#UNDATED}. A key that starts
 * with its own provider ({@code deepgram/nova-3}) is read without that prefix, the way an event
 * names its model; when the catalog lists a model both ways, the unprefixed key wins. Batch,
 * priority and flex rates, image, video and search prices are left out: Tally meters standard
 * requests.
 */
public final class LiteLlmCatalog {
    public static final String NAME = "litellm";

    private static final Set<String> LANGUAGE_MODES = Set.of("chat", "completion", "responses", "realtime");
    private static final Pattern LONG_CONTEXT_INPUT = Pattern.compile("input_cost_per_token_above_(\\d+)k_tokens");

    private LiteLlmCatalog() {
    }

    public static CatalogImport read(InputStream json) throws IOException {
        return read(json, null);
    }

    /** @param version the catalog's version or commit, named in every entry's source; null for none */
    public static CatalogImport read(InputStream json, String version) throws IOException {
        JsonNode root = CatalogJson.read(json);
        if (!root.isObject()) {
            throw new IOException("a LiteLLM price file is one JSON object keyed by model, not " + root.getNodeType());
        }
        String source = CatalogJson.source(NAME, version);
        ImportTally tally = new ImportTally();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            readModel(field.getKey(), field.getValue(), source, tally);
        }
        return tally.result();
    }

    private static void readModel(String key, JsonNode spec, String source, ImportTally tally) {
        if (key.equals("sample_spec")) {
            tally.skip("sample_spec");
            return;
        }
        String provider = spec.isObject() ? text(spec, "litellm_provider") : null;
        if (provider == null || provider.isBlank()) {
            tally.skip("no litellm_provider");
            return;
        }
        String mode = text(spec, "mode");
        boolean prefixed = key.startsWith(provider + "/");
        String model = prefixed ? key.substring(provider.length() + 1) : key;
        if ("audio_transcription".equals(mode)) {
            readTranscription(spec, new CatalogEntryBuilder(CatalogKind.STT, provider, model, CatalogEntry.UNDATED, source),
                    !prefixed, tally);
        } else if ("audio_speech".equals(mode)) {
            readSpeech(spec, new CatalogEntryBuilder(CatalogKind.TTS, provider, model, CatalogEntry.UNDATED, source),
                    !prefixed, tally);
        } else if (mode != null && LANGUAGE_MODES.contains(mode)) {
            readLanguageModel(spec, new CatalogEntryBuilder(CatalogKind.LLM, provider, model, CatalogEntry.UNDATED, source),
                    !prefixed, tally);
        } else {
            tally.skip("mode not metered: " + (mode == null ? "none" : mode));
        }
    }

    /**
     * LiteLLM prices transcription per second of input; a few providers bill on the output side
     * (Soniox), and whisper-1 repeats its input price as an output price, so the input price wins
     * and the output price counts only when there is no input price.
     */
    private static void readTranscription(JsonNode spec, CatalogEntryBuilder entry, boolean preferred, ImportTally tally) {
        BigDecimal perSecond = positive(decimal(spec, "input_cost_per_second"));
        if (perSecond == null) {
            perSecond = positive(decimal(spec, "output_cost_per_second"));
        }
        if (perSecond == null) {
            tally.skip("audio_transcription without a per-second price");
            return;
        }
        BigDecimal perMinute = perMinuteFromPerSecond(perSecond);
        tally.add(() -> entry.perAudioMinute(perMinute).build(), preferred);
    }

    private static void readSpeech(JsonNode spec, CatalogEntryBuilder entry, boolean preferred, ImportTally tally) {
        BigDecimal perCharacter = decimal(spec, "input_cost_per_character");
        if (perCharacter == null) {
            tally.skip("audio_speech without a per-character price");
            return;
        }
        tally.add(() -> entry.perMillionCharacters(perMillion(perCharacter)).build(), preferred);
    }

    private static void readLanguageModel(JsonNode spec, CatalogEntryBuilder entry, boolean preferred, ImportTally tally) {
        BigDecimal input = decimal(spec, "input_cost_per_token");
        BigDecimal output = decimal(spec, "output_cost_per_token");
        if (input == null || output == null) {
            tally.skip("llm without input and output prices");
            return;
        }
        entry.tokens(perMillion(input), perMillion(decimal(spec, "cache_read_input_token_cost")),
                        perMillion(decimal(spec, "cache_creation_input_token_cost")), perMillion(output))
                .audioTokens(perMillion(decimal(spec, "input_cost_per_audio_token")),
                        perMillion(decimal(spec, "output_cost_per_audio_token")));
        Long threshold = lowestLongContextThreshold(spec);
        if (threshold != null) {
            String suffix = "_above_" + threshold / 1000 + "k_tokens";
            entry.longContext(threshold, perMillion(decimal(spec, "input_cost_per_token" + suffix)),
                    perMillion(decimal(spec, "output_cost_per_token" + suffix)));
        }
        tally.add(entry::build, preferred);
    }

    /** The first tier a prompt reaches: a model with tiers above 128k and 256k is long-context from 128k on. */
    private static Long lowestLongContextThreshold(JsonNode spec) {
        List<Long> thresholds = new ArrayList<>();
        spec.fieldNames().forEachRemaining(name -> {
            Matcher matcher = LONG_CONTEXT_INPUT.matcher(name);
            if (matcher.matches() && spec.get(name).isNumber()) {
                thresholds.add(Long.parseLong(matcher.group(1)) * 1000);
            }
        });
        return thresholds.stream().min(Long::compare).orElse(null);
    }

    private static BigDecimal positive(BigDecimal value) {
        return value != null && value.signum() > 0 ? value : null;
    }
}
