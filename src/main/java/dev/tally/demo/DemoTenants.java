package dev.tally.demo;

import dev.tally.demo.DemoAgent.Voice;
import dev.tally.demo.DemoTenant.ChatModel;
import dev.tally.demo.DemoTenant.Range;
import java.math.BigDecimal;
import java.util.List;

/**
 * The three demo tenants. Acme is the one the README's keys belong to, so it is the busiest and
 * shows every feature, the unpriced custom model included; Globex and Initech exist so that
 * platform-wide reports have more than one tenant to tell apart.
 */
final class DemoTenants {
    private static final Voice ELEVEN_TURBO = new Voice("elevenlabs", "eleven_turbo_v2_5");
    private static final Voice ELEVEN_FLASH = new Voice("elevenlabs", "eleven_flash_v2_5");
    private static final Voice OPENAI_TTS = new Voice("openai", "tts-1");

    static final DemoTenant ACME = new DemoTenant("acme", "Acme Voice", -5,
            new Range(20, 60), new Range(15, 35), new Range(6, 16), 2,
            new BigDecimal("0.0110"), new BigDecimal("0.0140"),
            List.of(
                    agent("acme", "front-desk", "Front Desk", "dana@acme.example", "openai",
                            "gpt-4o-realtime-preview", "realtime", null, false, 35, "+14155550101"),
                    agent("acme", "scheduler", "Appointment Scheduler", "dana@acme.example", "openai",
                            "gpt-4o-mini", "chat", ELEVEN_TURBO, false, 25, "+14155550102"),
                    agent("acme", "billing", "Billing Assistant", "lee@acme.example", "anthropic",
                            "claude-sonnet-4-20250514", "chat", OPENAI_TTS, false, 15, "+16465550143"),
                    agent("acme", "after-hours", "After-hours Line", "lee@acme.example", "google",
                            "gemini-2.0-flash", "chat", OPENAI_TTS, false, 10, "+14155550101"),
                    agent("acme", "reminders", "Outbound Reminders", "ops@acme.example", "custom",
                            "acme-finetune-v2", "chat", ELEVEN_FLASH, true, 15, "+13125550178")),
            List.of(DemoIds.member("acme", "maria.garcia"), DemoIds.member("acme", "sam.okafor"),
                    DemoIds.member("acme", "priya.nair"), DemoIds.member("acme", "tom.becker"),
                    DemoIds.member("acme", "yuki.tanaka"), DemoIds.member("acme", "leo.rossi"),
                    DemoIds.member("acme", "ana.silva"), DemoIds.member("acme", "ben.cohen")),
            List.of("+14155550101", "+14155550102", "+16465550143", "+13125550178"),
            List.of(new ChatModel("openai", "gpt-4o-mini"), new ChatModel("anthropic", "claude-sonnet-4-20250514")));

    static final DemoTenant GLOBEX = new DemoTenant("globex", "Globex Corporation", 1,
            new Range(8, 25), new Range(6, 15), new Range(3, 8), 1,
            new BigDecimal("0.0150"), new BigDecimal("0.0190"),
            List.of(
                    agent("globex", "support", "Customer Support", "hank@globex.example", "openai",
                            "gpt-4o-realtime-preview", "realtime", null, false, 40, "+442079460123"),
                    agent("globex", "orders", "Order Desk", "hank@globex.example", "aws",
                            "amazon.nova-pro-v1:0", "chat", ELEVEN_TURBO, false, 30, "+442079460456"),
                    agent("globex", "concierge", "Concierge", "frank@globex.example", "anthropic",
                            "claude-sonnet-4-20250514", "chat", OPENAI_TTS, false, 15, "+442079460123"),
                    agent("globex", "surveys", "Satisfaction Surveys", "frank@globex.example", "openai",
                            "gpt-4o-mini", "chat", ELEVEN_FLASH, true, 15, "+14155550190")),
            List.of(DemoIds.member("globex", "hank.scorpio"), DemoIds.member("globex", "frank.grimes"),
                    DemoIds.member("globex", "lena.mueller"), DemoIds.member("globex", "omar.haddad"),
                    DemoIds.member("globex", "ines.duarte"), DemoIds.member("globex", "kofi.mensah")),
            List.of("+442079460123", "+442079460456", "+14155550190"),
            List.of(new ChatModel("aws", "amazon.nova-pro-v1:0"), new ChatModel("openai", "gpt-4o-mini")));

    static final DemoTenant INITECH = new DemoTenant("initech", "Initech", -6,
            new Range(4, 14), new Range(3, 8), new Range(2, 5), 0,
            new BigDecimal("0.0100"), new BigDecimal("0.0130"),
            List.of(
                    agent("initech", "helpdesk", "IT Helpdesk", "bill@initech.example", "google",
                            "gemini-2.0-flash", "chat", OPENAI_TTS, false, 50, "+15125550111"),
                    agent("initech", "intake", "Ticket Intake", "bill@initech.example", "aws",
                            "amazon.nova-pro-v1:0", "chat", ELEVEN_TURBO, false, 30, "+15125550111"),
                    agent("initech", "callbacks", "Callback Scheduler", "peter@initech.example", "openai",
                            "gpt-4o-mini", "chat", OPENAI_TTS, true, 20, "+15125550112")),
            List.of(DemoIds.member("initech", "peter.gibbons"), DemoIds.member("initech", "joanna.reyes"),
                    DemoIds.member("initech", "samir.nagheenanajar"), DemoIds.member("initech", "michael.bolton"),
                    DemoIds.member("initech", "milton.waddams")),
            List.of("+15125550111", "+15125550112"),
            List.of(new ChatModel("google", "gemini-2.0-flash"), new ChatModel("openai", "gpt-4o-mini")));

    static final List<DemoTenant> ALL = List.of(ACME, GLOBEX, INITECH);

    private DemoTenants() {
    }

    private static DemoAgent agent(String tenantId, String slug, String name, String userEmail, String provider,
                                   String model, String kind, Voice voice, boolean outbound, int weight,
                                   String phoneNumber) {
        return new DemoAgent(DemoIds.agent(tenantId, slug), name, userEmail, provider, model, kind, voice, outbound,
                weight, phoneNumber);
    }
}
