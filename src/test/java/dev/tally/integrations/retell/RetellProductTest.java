package dev.tally.integrations.retell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The product names of Retell's cost breakdown read as the README's table says. */
class RetellProductTest {
    @Test
    void aProductIsReadByTheWordsOfItsName() {
        Map<String, RetellProduct> expected = new LinkedHashMap<>();
        expected.put("elevenlabs_tts", RetellProduct.TTS);
        expected.put("openai_tts", RetellProduct.TTS);
        expected.put("Cartesia Voice", RetellProduct.TTS);
        expected.put("gpt_4o_mini", RetellProduct.LLM);
        expected.put("gpt-4o-mini", RetellProduct.LLM);
        expected.put("claude-3.5-haiku", RetellProduct.LLM);
        expected.put("gpt_4o_realtime", RetellProduct.LLM);
        expected.put("deepgram_stt", RetellProduct.STT);
        expected.put("retell_twilio", RetellProduct.TELEPHONY);
        expected.put("telnyx", RetellProduct.TELEPHONY);
        expected.put("sip_trunking", RetellProduct.TELEPHONY);
        expected.put("post_call_analysis_gpt_4o", RetellProduct.ANALYSIS);
        expected.put("voicemail_detection", RetellProduct.OTHER);
        expected.put("retell_platform", RetellProduct.PLATFORM);
        expected.put("knowledge_base", RetellProduct.OTHER);
        expected.put("", RetellProduct.OTHER);
        // a word inside another is no match: "gossip" is not sip, "grasp" is not asr
        expected.put("gossip_grasp", RetellProduct.OTHER);

        expected.forEach((name, kind) -> assertThat(RetellProduct.of(name)).as(name).isEqualTo(kind));
    }
}
