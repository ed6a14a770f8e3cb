package dev.tally.demo;

import dev.tally.app.Tally;
import dev.tally.pricing.PriceEntry;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;

/**
 * The demo tenants' prices for transcription, synthesis and (acme only) text messages, so a newcomer
 * sees stt, tts and sms events priced by the book beside the carrier's reported call costs. Kept
 * as tenant overrides, never platform entries, so they price nothing outside the demo. Globex's
 * and Initech's texts stay unpriced on purpose: the reports then show their unpriced count.
 */
final class DemoPrices {
    private static final LocalDate FROM = LocalDate.of(2024, 1, 1);

    private DemoPrices() {
    }

    /** Adds every demo entry a store does not hold yet: an interrupted load runs this again. */
    static void ensure(Tally tally) {
        for (DemoTenant tenant : DemoTenants.ALL) {
            add(tally, entry(tenant.id(), "deepgram", "nova*", "per_audio_minute", "0.0043"));
            add(tally, entry(tenant.id(), "openai", "tts-1", "per_million_characters", "15"));
            add(tally, entry(tenant.id(), "elevenlabs", "eleven*", "per_million_characters", "50"));
        }
        add(tally, PriceEntry.of(null, DemoData.TENANT, "twilio", "*", FROM, null, Map.of(
                "per_segment_outbound", new BigDecimal("0.0079"), "per_segment_inbound", new BigDecimal("0.0079"))));
    }

    private static PriceEntry entry(String tenantId, String provider, String model, String rate, String value) {
        return PriceEntry.of(null, tenantId, provider, model, FROM, null, Map.of(rate, new BigDecimal(value)));
    }

    private static void add(Tally tally, PriceEntry entry) {
        if (tally.prices().book().entries().stream().noneMatch(existing -> existing.conflictsWith(entry))) {
            tally.prices().add(entry);
        }
    }
}
