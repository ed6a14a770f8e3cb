package dev.tally.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A tenant's phone calls and everything each call used: the {@code call} itself, one {@code llm}
 * request per turn (one trace per call: the greeting is its root, every later turn and the
 * post-call summary its children), and for a pipeline agent an {@code stt} and a {@code tts} per
 * turn; a realtime agent hears and speaks in audio tokens and gets one transcription after the call.
 */
final class CallGenerator {
    /** Call length in seconds by drop-off bucket: &lt;30s, 30-60s, 1-3m, 3-5m, &gt;5m. */
    private static final BigDecimal ANALYSIS_FEE_USD = new BigDecimal("0.01");
    /** The voice platform's own charge per minute of a call, and a SIP trunk's per billed outbound minute. */
    private static final BigDecimal PLATFORM_FEE_PER_MINUTE = new BigDecimal("0.05");
    private static final BigDecimal TRANSPORT_FEE_PER_MINUTE = new BigDecimal("0.004");
    /**
     * What a platform's own call total adds for the models and voices it does not itemise, per minute: a
     * flat estimate, so its totals disagree with the parts Tally priced, as real ones do.
     */
    private static final BigDecimal PLATFORM_ESTIMATE_PER_MINUTE = new BigDecimal("0.09");
    private static final int[][] DURATION_BUCKETS = {{4, 29}, {30, 59}, {60, 179}, {180, 299}, {300, 620}};
    private static final double[] COMPLETED_BUCKET_WEIGHTS = {6, 10, 38, 28, 18};
    private static final double[] FAILED_BUCKET_WEIGHTS = {45, 25, 20, 7, 3};
    private static final List<String> EXCEPTIONS = List.of(
            "RateLimitError: Error code: 429 - Rate limit reached for requests",
            "APITimeoutError: Request timed out.",
            "InternalServerError: Error code: 500 - The server had an error while processing your request.",
            "APIConnectionError: Connection error.");
    /** Post-call sentiment of a completed call; {@code null} (not analysed) is as common as a negative one. */
    private static final String[] SENTIMENTS = {"positive", "neutral", "negative", null};
    private static final double[] SENTIMENT_WEIGHTS = {38, 34, 10, 18};
    private static final String[] END_REASONS = {"hangup", "referred", "timeout"};
    private static final double[] END_REASON_WEIGHTS = {78, 14, 8};
    private static final List<String> CAMPAIGNS = List.of("appointment-reminders", "renewals", "win-back");
    private static final double CHARACTERS_SPOKEN_PER_SECOND = 14.5;
    private static final long SECOND_MS = 1_000L;

    private final DemoTenant tenant;
    private final Consumer<ObjectNode> sink;
    private final long nowMs;

    CallGenerator(DemoTenant tenant, Consumer<ObjectNode> sink, long nowMs) {
        this.tenant = tenant;
        this.sink = sink;
        this.nowMs = nowMs;
    }

    void day(LocalDate date, double progress, SplittableRandom random) {
        int count = DayShape.count(tenant.calls(), date, progress, random);
        String prefix = "call_" + tenant.id() + "_" + date.format(DateTimeFormatter.BASIC_ISO_DATE) + "_";
        for (int number = 0; number < count; number++) {
            long startMs = DayShape.startMs(date, tenant.utcOffsetHours(), random);
            PendingEvents events = finishedCall(prefix + String.format("%03d", number), startMs, random);
            events.sendWhole(nowMs, sink);
        }
    }

    /** Calls that started a few minutes ago and are still going: no end, no duration, no cost yet. */
    void inProgress(LocalDate today, SplittableRandom random) {
        for (int number = 0; number < tenant.inProgressCalls(); number++) {
            String callId = "call_" + tenant.id() + "_" + today.format(DateTimeFormatter.BASIC_ISO_DATE) + "_live"
                    + number;
            DemoAgent agent = inboundAgent(random);
            long startMs = nowMs - Draw.between(random, 180, 660) * SECOND_MS - random.nextInt(1000);
            ObjectNode call = callEvent(callId, agent, startMs, "in_progress", "inbound");
            PendingEvents events = new PendingEvents();
            events.add(call, startMs);
            int turns = (int) Math.max(1, (nowMs - startMs) / 18_000L - 1);
            turns(events, callId, agent, startMs, turns, 18_000L, false, random);
            events.sendHappened(nowMs, sink);
        }
    }

    private PendingEvents finishedCall(String callId, long startMs, SplittableRandom random) {
        DemoAgent agent = Draw.weighted(random, tenant.agents(), DemoAgent::weight);
        boolean failed = Draw.chance(random, agent.provider().equals("custom") ? 0.12 : 0.07);
        int bucket = Draw.weightedIndex(random, failed ? FAILED_BUCKET_WEIGHTS : COMPLETED_BUCKET_WEIGHTS);
        int durationSeconds = Draw.between(random, DURATION_BUCKETS[bucket][0], DURATION_BUCKETS[bucket][1]);
        String direction = agent.outbound()
                ? (Draw.chance(random, 0.9) ? "outbound" : "inbound")
                : (Draw.chance(random, 0.88) ? "inbound" : "outbound");
        long endMs = startMs + durationSeconds * SECOND_MS;

        ObjectNode call = callEvent(callId, agent, startMs, failed ? "failed" : "completed", direction);
        call.put("ended_at", DemoJson.time(endMs));
        call.put("duration_seconds", durationSeconds);
        BigDecimal carrier = carrierCost(durationSeconds, direction);
        call.put("cost_usd", carrier);
        String sentiment = sentiment(failed, durationSeconds, random);
        if (sentiment != null) {
            call.put("sentiment", sentiment);
        }
        String endReason = failed
                ? (Draw.chance(random, 0.7) ? "error" : "timeout")
                : END_REASONS[Draw.weightedIndex(random, END_REASON_WEIGHTS)];
        call.put("end_reason", endReason);
        if ("outbound".equals(direction)) {
            call.putObject("attributes").put("campaign", Draw.one(random, CAMPAIGNS));
        }

        PendingEvents events = new PendingEvents();
        events.add(call, endMs);
        platformCharges(events, call, agent, durationSeconds, carrier, endMs);
        int turns = Math.max(1, Math.min(30, Math.round(durationSeconds / (float) Draw.between(random, 14, 24))));
        long slotMs = durationSeconds * SECOND_MS / turns;
        String rootId = turns(events, callId, agent, startMs, turns, slotMs, "error".equals(endReason), random);
        if (!failed && durationSeconds >= 30) {
            summary(events, callId, agent, rootId, endMs, turns, random);
            analysisFee(events, callId, agent, endMs);
        }
        if (!failed && agent.realtime()) {
            ObjectNode transcript = DemoJson.event(tenant.id(), callId + "_stt_call", "stt", endMs + 1_500);
            owner(transcript, agent);
            transcript.put("call_id", callId);
            transcript.put("provider", "deepgram");
            transcript.put("model", "nova-2");
            transcript.put("duration_seconds", durationSeconds);
            events.add(transcript, endMs + 1_500);
        }
        return events;
    }

    private ObjectNode callEvent(String callId, DemoAgent agent, long startMs, String status, String direction) {
        ObjectNode call = DemoJson.event(tenant.id(), callId, "call", startMs);
        owner(call, agent);
        call.put("status", status);
        call.put("direction", direction);
        call.put("provider", agent.realtime() ? "retell" : "vapi");
        call.put("phone_number", agent.phoneNumber());
        return call;
    }

    private DemoAgent inboundAgent(SplittableRandom random) {
        return Draw.weighted(random, tenant.agents(), agent -> agent.outbound() ? 0 : agent.weight());
    }

    /** Carriers bill every started minute; outbound minutes cost more. */
    private BigDecimal carrierCost(int durationSeconds, String direction) {
        BigDecimal rate = "outbound".equals(direction) ? tenant.outboundRatePerMinute() : tenant.inboundRatePerMinute();
        long billedMinutes = (durationSeconds + 59) / 60;
        return rate.multiply(BigDecimal.valueOf(billedMinutes)).setScale(4, RoundingMode.HALF_EVEN);
    }

    private static String sentiment(boolean failed, int durationSeconds, SplittableRandom random) {
        if (failed) {
            return Draw.chance(random, 0.3) ? "negative" : null;
        }
        if (durationSeconds < 30 && Draw.chance(random, 0.7)) {
            return null;
        }
        return SENTIMENTS[Draw.weightedIndex(random, SENTIMENT_WEIGHTS)];
    }

    /**
     * One LLM request per turn, with its STT and TTS for a pipeline agent; the greeting (turn 0) is
     * the trace root. Returns the root's id.
     */
    private String turns(PendingEvents events, String callId, DemoAgent agent, long startMs, int turns, long slotMs,
                         boolean endsInError, SplittableRandom random) {
        String rootId = callId + "_llm_0";
        int systemPrompt = 700 + Math.floorMod(agent.id().hashCode(), 900);
        long userAudioMs = 0;
        for (int turn = 0; turn < turns; turn++) {
            long slotStart = startMs + turn * slotMs;
            long speechMs = turn == 0 ? 0 : Math.min(slotMs * 2 / 5, Draw.between(random, 1_500, 9_000));
            userAudioMs += speechMs;
            if (speechMs > 0 && !agent.realtime()) {
                ObjectNode stt = DemoJson.event(tenant.id(), callId + "_stt_" + turn, "stt", slotStart);
                owner(stt, agent);
                stt.put("call_id", callId);
                stt.put("provider", "deepgram");
                stt.put("model", "nova-2");
                stt.put("duration_seconds", DemoJson.seconds(speechMs));
                events.add(stt, slotStart);
            }
            boolean lastTurn = turn == turns - 1;
            String exception = (endsInError && lastTurn && Draw.chance(random, 0.5)) || Draw.chance(random, 0.012)
                    ? Draw.one(random, EXCEPTIONS) : null;
            long requestMs = slotStart + speechMs + Draw.between(random, 120, 400);
            long latencyMs = latencyMs(agent, exception != null, random);
            ObjectNode llm = DemoJson.event(tenant.id(), callId + "_llm_" + turn, "llm", requestMs);
            owner(llm, agent);
            llm.put("provider", agent.provider());
            llm.put("model", agent.model());
            llm.put("kind", agent.kind());
            llm.put("call_id", callId);
            llm.put("ended_at", DemoJson.time(requestMs + latencyMs));
            llm.put("op_name", turn == 0 ? "agent.greeting" : agent.realtime() ? "realtime.response" : "agent.respond");
            llm.put("trace_id", "tr_" + callId);
            if (turn > 0) {
                llm.put("parent_id", rootId);
            }
            llm.put("thread_id", callId);
            llm.put("turn_id", callId + "_t" + turn);
            int prompt = systemPrompt + turn * Draw.between(random, 60, 110);
            PromptCache.writeInput(llm, agent.provider(), prompt, systemPrompt, turn, random);
            int replySeconds = Draw.between(random, 2, 12);
            if (exception != null) {
                llm.put("exception", exception);
                llm.put("output_tokens", 0);
            } else {
                llm.put("output_tokens", replySeconds * Draw.between(random, 3, 5) + Draw.between(random, 0, 30));
            }
            if (agent.realtime()) {
                // The session's whole audio history is input again on every response.
                llm.put("input_audio_tokens", userAudioMs / 100);
                llm.put("output_audio_tokens", exception != null ? 0 : replySeconds * 20L);
            }
            events.add(llm, requestMs + latencyMs);
            if (exception == null && !agent.realtime()) {
                long spokenMs = requestMs + latencyMs;
                int characters = (int) Math.round(replySeconds * CHARACTERS_SPOKEN_PER_SECOND)
                        + Draw.between(random, 0, 20);
                ObjectNode tts = DemoJson.event(tenant.id(), callId + "_tts_" + turn, "tts", spokenMs);
                owner(tts, agent);
                tts.put("call_id", callId);
                tts.put("provider", agent.voice().provider());
                tts.put("model", agent.voice().model());
                tts.put("characters", characters);
                tts.put("audio_duration_seconds",
                        DemoJson.seconds(Math.round(characters * 1000 / CHARACTERS_SPOKEN_PER_SECOND)));
                events.add(tts, spokenMs);
            }
        }
        return rootId;
    }

    /** After the call, a small chat model writes the call's summary: a child of the call's trace. */
    private void summary(PendingEvents events, String callId, DemoAgent agent, String rootId, long endMs, int turns,
                         SplittableRandom random) {
        long requestMs = endMs + Draw.between(random, 500, 2_500);
        long latencyMs = Draw.between(random, 1_000, 4_000);
        ObjectNode llm = DemoJson.event(tenant.id(), callId + "_llm_summary", "llm", requestMs);
        owner(llm, agent);
        llm.put("provider", "openai");
        llm.put("model", "gpt-4o-mini");
        llm.put("kind", "chat");
        llm.put("call_id", callId);
        llm.put("ended_at", DemoJson.time(requestMs + latencyMs));
        llm.put("op_name", "call.summarize");
        llm.put("trace_id", "tr_" + callId);
        llm.put("parent_id", rootId);
        llm.put("thread_id", callId);
        llm.put("input_tokens", 350 + turns * Draw.between(random, 70, 110));
        llm.put("output_tokens", Draw.between(random, 80, 220));
        events.add(llm, requestMs + latencyMs);
    }

    /** What the post-call analysis costs: a fee of its own, reported with the call it belongs to. */
    private void analysisFee(PendingEvents events, String callId, DemoAgent agent, long endMs) {
        fee(events, callId, agent, "analysis", "openai", ANALYSIS_FEE_USD, BigDecimal.ONE, "call", endMs + 5_000);
    }

    /**
     * The voice platform that carried the call (Retell for a realtime agent, Vapi for a pipeline) and
     * its fee per minute; a SIP trunk's fee for an outbound call. One call in five also carries the
     * platform's own total for the whole call, which misses what Tally prices itself, so the call
     * costs page has mismatches to show. Chosen by the call's id, not the random stream, so the
     * rest of the demo stays as it was.
     */
    private void platformCharges(PendingEvents events, ObjectNode call, DemoAgent agent, int durationSeconds,
                                 BigDecimal carrier, long endMs) {
        String callId = call.path("id").asText();
        String platform = call.path("provider").asText();
        BigDecimal minutes = BigDecimal.valueOf(durationSeconds).divide(BigDecimal.valueOf(60), 4, RoundingMode.HALF_UP);
        BigDecimal platformFee = PLATFORM_FEE_PER_MINUTE.multiply(minutes).setScale(6, RoundingMode.HALF_UP);
        fee(events, callId, agent, "platform", platform, platformFee, minutes, "minute", endMs + 1_000);
        BigDecimal reported = carrier.add(platformFee);
        if ("outbound".equals(call.path("direction").asText())) {
            BigDecimal billedMinutes = BigDecimal.valueOf((durationSeconds + 59) / 60);
            BigDecimal transport = TRANSPORT_FEE_PER_MINUTE.multiply(billedMinutes);
            fee(events, callId, agent, "transport", "twilio", transport, billedMinutes, "minute", endMs + 1_000);
            reported = reported.add(transport);
        }
        if (Math.floorMod(callId.hashCode(), 5) == 0) {
            call.put("reported_total_cost_usd", reported.add(PLATFORM_ESTIMATE_PER_MINUTE.multiply(minutes))
                    .setScale(4, RoundingMode.HALF_UP));
        }
    }

    private void fee(PendingEvents events, String callId, DemoAgent agent, String kind, String provider,
                     BigDecimal costUsd, BigDecimal quantity, String unit, long atMs) {
        ObjectNode fee = DemoJson.event(tenant.id(), callId + "_fee_" + kind, "fee", atMs);
        owner(fee, agent);
        fee.put("kind", kind);
        fee.put("provider", provider);
        fee.put("call_id", callId);
        fee.put("cost_usd", costUsd);
        fee.put("quantity", quantity);
        fee.put("unit", unit);
        events.add(fee, atMs);
    }

    private static long latencyMs(DemoAgent agent, boolean failed, SplittableRandom random) {
        int[] range = switch (agent.provider()) {
            case "openai" -> agent.realtime() ? new int[] {300, 900} : new int[] {400, 1_500};
            case "anthropic" -> new int[] {800, 2_500};
            case "google" -> new int[] {300, 1_000};
            case "aws" -> new int[] {500, 1_800};
            default -> new int[] {600, 2_000};
        };
        long latency = Draw.between(random, range[0], range[1]);
        if (failed) {
            return latency * 4;
        }
        // A long tail: now and then a request takes three to four times as long.
        return Draw.chance(random, 0.03) ? latency * Draw.between(random, 3, 4) : latency;
    }

    private static void owner(ObjectNode event, DemoAgent agent) {
        event.put("agent_id", agent.id());
        event.put("user_email", agent.userEmail());
    }
}
