package dev.tally.demo;

/**
 * One voice agent of a demo tenant and the AI stack behind it.
 *
 * @param kind {@code realtime} (speech to speech, audio tokens, no separate STT/TTS per turn) or
 *     {@code chat} (a pipeline: STT, then a chat model, then TTS for every turn)
 * @param voice the TTS voice of a chat pipeline; {@code null} for a realtime agent, which speaks itself
 * @param outbound whether the agent mostly dials out (reminders, surveys) rather than answering
 * @param weight the agent's share of the tenant's calls, relative to the other agents
 */
record DemoAgent(String id, String name, String userEmail, String provider, String model, String kind, Voice voice,
                 boolean outbound, int weight, String phoneNumber) {

    record Voice(String provider, String model) {
    }

    boolean realtime() {
        return "realtime".equals(kind);
    }
}
