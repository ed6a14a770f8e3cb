package dev.tally.pricing;

import static dev.tally.pricing.TestPrices.entry;
import static dev.tally.pricing.TestPrices.llmEvent;
import static dev.tally.pricing.TestPrices.usageEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.error.Rejection;
import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pricing of the units of version 2: audio minutes, characters, SMS segments, call minutes. */
class UsagePricerTest {
    private static final String JUNE = "2025-06-15T12:00:00Z";

    private static Event event(EventType type, String provider, String model) {
        Event event = llmEvent("acme", provider, model, JUNE);
        event.type = type;
        return event;
    }

    private static Event call(String direction, String number, long durationMs) {
        Event call = event(EventType.CALL, "twilio", null);
        call.direction = direction;
        call.phoneNumber = number;
        call.durationMs = durationMs;
        return call;
    }

    private static PriceBook bookOf(PriceEntry... entries) {
        return new PriceBook(List.of(entries));
    }

    @Test
    void aTranscriptionCostsItsAudioMinutesToTheMillisecondAndASynthesisItsCharacters() {
        PriceBook book = bookOf(usageEntry("deepgram", "nova-3").rate("per_audio_minute", "0.0043").build(),
                usageEntry("elevenlabs", "eleven_flash*").rate("per_million_characters", "15").build());
        Event stt = event(EventType.STT, "deepgram", "nova-3");
        stt.durationMs = 90_500L;
        Event tts = event(EventType.TTS, "elevenlabs", "eleven_flash_v2_5");
        tts.characters = 1_234L;

        List.of(stt, tts).forEach(priced -> Pricer.price(priced, book));

        // 90.5 s = 1.508333… min × 0.0043 = 0.006485833… USD, half-even to the nano-dollar
        assertThat(stt.costNanos).isEqualTo(6_485_833L);
        assertThat(tts.costNanos).as("1,234 ÷ 10^6 × 15").isEqualTo(18_510_000L);
        assertThat(List.of(stt.costSource, tts.costSource)).containsOnly(CostSource.COMPUTED);
        assertThat(stt.creditsMicros + tts.creditsMicros).as("credits count tokens only").isZero();
    }

    @Test
    void anSmsIsPricedByItsDirectionAndTheCarriersSegmentsWin() {
        PriceBook book = bookOf(usageEntry("twilio", "*").rate("per_segment_outbound", "0.0079")
                .rate("per_segment_inbound", "0.0075").build());
        Event outbound = event(EventType.SMS, null, null);
        outbound.direction = "outbound";
        outbound.segments = 2;
        Event inbound = event(EventType.SMS, null, null);
        inbound.direction = "inbound";
        inbound.segments = 2;
        inbound.carrierSegments = 3L;

        Pricer.price(outbound, book);
        Pricer.price(inbound, book);

        assertThat(outbound.costNanos).isEqualTo(15_800_000L);
        assertThat(inbound.costNanos).as("3 carrier segments, not Tally's 2").isEqualTo(22_500_000L);
        assertThat(inbound.segments).as("Tally's own count stays").isEqualTo(2);
    }

    @Test
    void aCallIsPricedByDirectionAndTheLongestMatchingPrefixOfItsNumber() {
        PriceBook book = bookOf(
                usageEntry("twilio", "*").rate("per_minute_outbound", "0.014").rate("per_minute_inbound", "0.0085")
                        .build(),
                usageEntry("twilio", "*").prefix("+44").rate("per_minute_outbound", "0.02")
                        .rate("per_minute_inbound", "0.01").build(),
                usageEntry("twilio", "*").prefix("+447").rate("per_minute_outbound", "0.15")
                        .rate("per_minute_inbound", "0.01").build());
        Event mobile = call("outbound", "+447911123456", 120_000L);
        Event london = call("outbound", "+442071234567", 120_000L);
        Event londonInbound = call("inbound", "+442071234567", 120_000L);
        Event american = call("outbound", "+14155550100", 120_000L);

        List.of(mobile, london, londonInbound, american).forEach(call -> Pricer.price(call, book));

        assertThat(mobile.costNanos).as("+447 beats +44").isEqualTo(300_000_000L);
        assertThat(london.costNanos).as("+44").isEqualTo(40_000_000L);
        assertThat(londonInbound.costNanos).as("+44 inbound").isEqualTo(20_000_000L);
        assertThat(american.costNanos).as("no prefix matches: the entry without one").isEqualTo(28_000_000L);
    }

    @Test
    void aLongerPrefixNotYetInForceGivesWayToAShorterOne() {
        PriceBook book = bookOf(
                usageEntry("twilio", "*").prefix("+44").rate("per_minute_outbound", "0.02")
                        .rate("per_minute_inbound", "0.01").build(),
                usageEntry("twilio", "*").prefix("+447").from("2025-07-01").rate("per_minute_outbound", "0.15")
                        .rate("per_minute_inbound", "0.01").build());
        Event mobile = call("outbound", "+447911123456", 60_000L);

        Pricer.price(mobile, book);

        assertThat(mobile.costNanos).isEqualTo(20_000_000L);
    }

    @Test
    void aCallWithoutADirectionOrAnyEntryIsUnpricedAndCounted() {
        PriceBook book = bookOf(usageEntry("twilio", "*").rate("per_minute_outbound", "0.014")
                .rate("per_minute_inbound", "0.0085").build());
        Event undirected = call(null, "+14155550100", 60_000L);
        Event transcription = event(EventType.STT, "deepgram", "nova-3");
        transcription.durationMs = 60_000L;

        Pricer.price(undirected, book);
        Pricer.price(transcription, book);

        assertThat(undirected.costSource).isEqualTo(CostSource.UNPRICED);
        assertThat(undirected.costNanos).isZero();
        assertThat(transcription.costSource).isEqualTo(CostSource.UNPRICED);
        assertThat(transcription.costNanos).isZero();
    }

    @Test
    void anEntryWithOneDirectionLeavesTheOtherUnpriced() {
        PriceBook book = bookOf(usageEntry("telnyx", "*").rate("per_minute_outbound", "0.01").build());
        Event outbound = call("outbound", "+14155550100", 90_000);
        outbound.provider = "telnyx";
        Event inbound = call("inbound", "+14155550100", 90_000);
        inbound.provider = "telnyx";

        Pricer.price(outbound, book);
        Pricer.price(inbound, book);

        // 1.5 minutes × $0.01 = $0.015
        assertThat(outbound.costNanos).isEqualTo(15_000_000L);
        assertThat(outbound.costSource).isEqualTo(CostSource.COMPUTED);
        assertThat(inbound.costNanos).isZero();
        assertThat(inbound.costSource).isEqualTo(CostSource.UNPRICED);
    }

    @Test
    void aReportedCostWinsOverTheBook() {
        PriceBook book = bookOf(usageEntry("deepgram", "*").rate("per_audio_minute", "0.0043").build());
        Event stt = event(EventType.STT, "deepgram", "nova-3");
        stt.durationMs = 600_000L;
        stt.costNanos = 12_345L;
        stt.costSource = CostSource.REPORTED;

        Pricer.price(stt, book);

        assertThat(stt.costNanos).isEqualTo(12_345L);
        assertThat(stt.costSource).isEqualTo(CostSource.REPORTED);
    }

    @Test
    void theTenantsOverrideFirstThenTheExactModelBeforeThePattern() {
        PriceBook book = bookOf(
                usageEntry("deepgram", "nova*").rate("per_audio_minute", "0.01").build(),
                usageEntry("deepgram", "nova-3").rate("per_audio_minute", "0.02").build(),
                usageEntry("deepgram", "nova*").tenant("globex").rate("per_audio_minute", "0.03").build());
        Event acme = event(EventType.STT, "deepgram", "nova-3");
        acme.durationMs = 60_000L;
        Event globex = event(EventType.STT, "deepgram", "nova-3");
        globex.tenantId = "globex";
        globex.durationMs = 60_000L;
        Event other = event(EventType.STT, "deepgram", "nova-2");
        other.durationMs = 60_000L;

        List.of(acme, globex, other).forEach(stt -> Pricer.price(stt, book));

        assertThat(acme.costNanos).as("exact before pattern").isEqualTo(20_000_000L);
        assertThat(globex.costNanos).as("the tenant's pattern before the platform's exact").isEqualTo(30_000_000L);
        assertThat(other.costNanos).as("the pattern").isEqualTo(10_000_000L);
    }

    @Test
    void anEventNamingNoModelIsPricedOnlyByTheLoneStar() {
        PriceBook book = bookOf(usageEntry("deepgram", "nova*").rate("per_audio_minute", "0.01").build());
        Event unnamed = event(EventType.STT, "deepgram", null);
        unnamed.durationMs = 60_000L;

        Pricer.price(unnamed, book);

        assertThat(unnamed.costSource).isEqualTo(CostSource.UNPRICED);

        Pricer.price(unnamed, new PriceBook(List.of(usageEntry("deepgram", "*").rate("per_audio_minute", "0.01")
                .build())));

        assertThat(unnamed.costSource).isEqualTo(CostSource.COMPUTED);
        assertThat(unnamed.costNanos).isEqualTo(10_000_000L);
    }

    @Test
    void aCostAboveAMillionDollarsIsRefusedNamingTheQuantity() {
        PriceBook book = bookOf(usageEntry("twilio", "*").rate("per_segment_outbound", "999999999999")
                .rate("per_segment_inbound", "1").build(), entry("openai", "*").output("999999999999").build());
        Event sms = event(EventType.SMS, null, null);
        sms.direction = "outbound";
        sms.segments = 1;
        sms.carrierSegments = 2L;
        Event llm = llmEvent("acme", "openai", "gpt-4o", JUNE);
        llm.outputTokens = 1_000_000_000_000L;

        assertThatThrownBy(() -> Pricer.price(sms, book)).isInstanceOf(Rejection.class)
                .satisfies(thrown -> assertThat(((Rejection) thrown).field()).isEqualTo("segments"));
        assertThatThrownBy(() -> Pricer.price(llm, book)).isInstanceOf(Rejection.class)
                .satisfies(thrown -> assertThat(((Rejection) thrown).field()).isEqualTo("output_tokens"));
    }
}
