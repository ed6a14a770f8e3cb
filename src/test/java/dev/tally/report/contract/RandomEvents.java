package dev.tally.report.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * One random event of each type, valid by the ingest contract, with the values that sit on a
 * report's edges drawn often: drop-off bucket limits, SMS segment limits, zero tokens and zero
 * latencies. Ids count up per tenant, so the tenants share ids and only scoping keeps them apart.
 */
final class RandomEvents {
    private static final List<String[]> LLM_MODELS = List.of(
            new String[] {ContractPrices.PROVIDER_ACME, "acme-large"},
            new String[] {ContractPrices.PROVIDER_ACME, "acme-lite"},
            new String[] {ContractPrices.PROVIDER_ACME, "acme-mini"},
            new String[] {ContractPrices.PROVIDER_BETA, "beta-chat"},
            new String[] {ContractPrices.PROVIDER_BETA, "beta-realtime"},
            new String[] {ContractPrices.PROVIDER_UNPRICED, "ghost-1"},
            // the same model name from another provider: one model in call statistics, two pairs in top models
            new String[] {ContractPrices.PROVIDER_UNPRICED, "beta-chat"});
    // names no bundled catalog prices: the oracle's book prices no audio minute or character
    private static final List<String[]> STT_MODELS = List.of(new String[] {"acme-voice", "hear-2"},
            new String[] {ContractPrices.PROVIDER_BETA, "listen-1"}, new String[] {"acme-voice", "hear-3"});
    private static final List<String[]> TTS_MODELS = List.of(new String[] {"acme-voice", "speak-turbo"},
            new String[] {ContractPrices.PROVIDER_BETA, "say-1"});
    private static final List<Long> DROP_OFF_EDGES_MILLIS = List.of(0L, 29_999L, 30_000L, 30_001L, 59_999L, 60_000L,
            60_001L, 180_000L, 180_001L, 300_000L, 300_001L);
    private static final List<Integer> GSM_EDGES = List.of(0, 1, 153, 160, 161, 306, 307, 459, 460);
    private static final List<Integer> UCS_EDGES = List.of(0, 1, 67, 70, 71, 134, 135, 201, 202);
    private static final List<String> OPERATIONS = List.of("chat.completions", "embed", "summarize");
    private static final List<String> CALL_PROVIDERS = List.of("twilio", "telnyx", "vapi");
    private static final List<String> FEE_KINDS = List.of("platform", "analysis", "transport", "phone_number",
            "other");
    private static final List<String> SENTIMENTS = List.of("positive", "neutral", "negative");
    private static final List<String> ROLES = List.of("user", "assistant", "system", "tool");

    private final Random random;
    private final RandomMoments moments;
    private int nextId;

    RandomEvents(Random random, RandomMoments moments) {
        this.random = random;
        this.moments = moments;
    }

    private ObjectNode event(String type, Instant time) {
        return AnswerComparison.MAPPER.createObjectNode().put("id", type + "-" + ++nextId).put("type", type)
                .put("time", moments.format(time));
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    private void maybe(ObjectNode event, String field, List<String> values, int percent) {
        if (!values.isEmpty() && chance(percent)) {
            event.put(field, pick(values));
        }
    }

    /** A call as first sent: its identity, without any state. */
    ObjectNode callIdentity() {
        return assigned(event("call", moments.next()));
    }

    /**
     * The same call with its agent, user, number and direction drawn again, as a later state may
     * name them: the newer state replaces the older one whole, in every report.
     */
    ObjectNode reassigned(ObjectNode identity) {
        ObjectNode call = identity.deepCopy();
        call.remove(List.of("agent_id", "user_email"));
        return assigned(call);
    }

    private ObjectNode assigned(ObjectNode call) {
        maybe(call, "agent_id", Dataset.AGENTS, 80);
        maybe(call, "user_email", Dataset.USERS, 70);
        return call.put("direction", random.nextBoolean() ? "inbound" : "outbound")
                .put("phone_number", pick(Dataset.PHONES));
    }

    ObjectNode inProgress(ObjectNode identity) {
        return identity.deepCopy().put("status", "in_progress");
    }

    /** A final state: the duration either given or left to {@code ended_at − time}, a ring before it. */
    ObjectNode finished(ObjectNode identity, String status) {
        ObjectNode call = identity.deepCopy().put("status", status);
        long durationMillis = chance(25) ? pick(DROP_OFF_EDGES_MILLIS) : random.nextLong(1_200_000);
        Instant start = EventFields.time(call);
        if (random.nextBoolean()) {
            call.put("duration_seconds", BigDecimal.valueOf(durationMillis, 3));
            call.put("ended_at", moments.format(start.plusMillis(durationMillis + random.nextInt(8_000))));
        } else {
            call.put("ended_at", moments.format(start.plusMillis(durationMillis)));
        }
        if (chance(80)) {
            // carriers report cents to nano-dollars; at most 3 USD a call
            int scale = 2 + random.nextInt(8);
            call.put("cost_usd", BigDecimal.valueOf(random.nextLong(3 * BigDecimal.TEN.pow(scale).longValueExact()), scale));
        }
        maybe(call, "sentiment", SENTIMENTS, 75);
        maybe(call, "provider", CALL_PROVIDERS, 70);
        if (chance(40)) {
            // the platform's own total: sometimes the parts to the nano, often off by more or less than a cent
            call.put("reported_total_cost_usd", BigDecimal.valueOf(random.nextLong(4_000_000_000L), 9));
        }
        return call;
    }

    ObjectNode llm(List<String> chatIds, List<String> callIds, List<String> llmIds) {
        ObjectNode llm = event("llm", moments.next());
        String[] model = pick(LLM_MODELS);
        llm.put("provider", model[0]).put("model", model[1]);
        boolean realtime = model[1].endsWith("realtime");
        if (realtime || chance(50)) {
            llm.put("kind", realtime ? "realtime" : "chat");
        }
        long input = chance(10) ? 0 : random.nextLong(6_000);
        llm.put("input_tokens", input).put("cached_input_tokens", chance(40) ? random.nextLong(input + 1) : 0)
                .put("cache_creation_input_tokens", chance(30) ? random.nextLong(800) : 0)
                .put("output_tokens", chance(10) ? 0 : random.nextLong(3_000));
        if (realtime) {
            llm.put("input_audio_tokens", random.nextLong(20_000)).put("output_audio_tokens", random.nextLong(20_000));
        }
        if (!model[0].equals(ContractPrices.PROVIDER_UNPRICED) && chance(10)) {
            llm.put("cost_usd", BigDecimal.valueOf(random.nextLong(50_000_000), 9));
        }
        if (chance(85)) {
            long latency = chance(15) ? 0 : chance(30) ? random.nextLong(67) : (long) Math.exp(random.nextDouble() * 11);
            llm.put("ended_at", moments.format(EventFields.time(llm).plusMillis(latency)));
        }
        if (chance(10)) {
            llm.put("exception", "provider timed out");
        }
        maybe(llm, "agent_id", Dataset.AGENTS, 70);
        maybe(llm, "user_email", Dataset.USERS, 60);
        maybe(llm, "member_id", Dataset.MEMBERS, 20);
        maybe(llm, "chat_id", chatIds, 30);
        maybe(llm, "call_id", callIds, 30);
        maybe(llm, "op_name", OPERATIONS, 85);
        llm.put("trace_id", "trace-" + random.nextInt(12));
        maybe(llm, "parent_id", llmIds, 50);
        maybe(llm, "thread_id", List.of("thread-1", "thread-2", "thread-3"), 70);
        maybe(llm, "turn_id", List.of("turn-1", "turn-2", "turn-3", "turn-4"), 70);
        maybe(llm, "run_id", List.of("run-1", "run-2"), 50);
        return llm;
    }

    ObjectNode stt(List<String> callIds) {
        String[] model = pick(STT_MODELS);
        return callPart(event("stt", moments.next()).put("provider", model[0]).put("model", model[1])
                .put("duration_seconds", BigDecimal.valueOf(random.nextLong(180_000), random.nextInt(4))), callIds);
    }

    ObjectNode tts(List<String> callIds) {
        String[] model = pick(TTS_MODELS);
        ObjectNode tts = event("tts", moments.next()).put("provider", model[0]).put("model", model[1])
                .put("characters", random.nextLong(4_000))
                .put("audio_duration_seconds", BigDecimal.valueOf(random.nextLong(240_000), random.nextInt(4)));
        maybe(tts, "agent_id", Dataset.AGENTS, 70);
        maybe(tts, "user_email", Dataset.USERS, 60);
        return callPart(tts, callIds);
    }

    /** Half the transcriptions and syntheses belong to a call, most of those with the provider's cost (else unpriced). */
    private ObjectNode callPart(ObjectNode event, List<String> callIds) {
        maybe(event, "call_id", callIds, 50);
        if (chance(60)) {
            event.put("cost_usd", BigDecimal.valueOf(random.nextLong(90_000_000), 9));
        }
        return event;
    }

    /** A fee, mostly of a call, some of a call that is never sent (counted nowhere), some of none. */
    ObjectNode fee(List<String> callIds) {
        ObjectNode fee = event("fee", moments.next()).put("kind", pick(FEE_KINDS))
                .put("cost_usd", BigDecimal.valueOf(chance(5) ? 0 : random.nextLong(200_000_000), 9));
        maybe(fee, "provider", CALL_PROVIDERS, 70);
        int draw = random.nextInt(100);
        if (draw < 80) {
            maybe(fee, "call_id", callIds, 100);
        } else if (draw < 88) {
            fee.put("call_id", "call-never-sent");
        }
        if (chance(30)) {
            fee.put("quantity", BigDecimal.valueOf(random.nextInt(10_000), 2)).put("unit", "minute");
        }
        return fee;
    }

    /**
     * An SMS with a plain ASCII body, whose character count no reading of the contract can dispute,
     * or with only its count and encoding.
     */
    ObjectNode sms() {
        ObjectNode sms = event("sms", moments.next()).put("direction", random.nextBoolean() ? "inbound" : "outbound")
                .put("phone_number", pick(Dataset.PHONES));
        if (random.nextBoolean()) {
            int length = chance(50) ? pick(GSM_EDGES) : random.nextInt(700);
            StringBuilder body = new StringBuilder();
            for (int index = 0; index < length; index++) {
                body.append(chance(15) ? ' ' : (char) ('a' + random.nextInt(26)));
            }
            return sms.put("body", body.toString());
        }
        boolean gsm = random.nextBoolean();
        int characters = chance(50) ? pick(gsm ? GSM_EDGES : UCS_EDGES) : random.nextInt(700);
        return sms.put("characters", characters).put("encoding", gsm ? "gsm7" : "ucs2");
    }

    ObjectNode chat() {
        return event("chat", moments.next()).put("member_id", pick(Dataset.MEMBERS));
    }

    ObjectNode message(List<String> chatIds) {
        ObjectNode message = event("message", moments.next()).put("role", pick(ROLES));
        if (chance(80)) {
            message.put("chat_id", chance(90) ? pick(chatIds) : "chat-never-created");
        }
        maybe(message, "member_id", Dataset.MEMBERS, 50);
        return message;
    }

    /** A retry of an event whose content changed on the way: the stored first version must win. */
    ObjectNode altered(ObjectNode original) {
        ObjectNode copy = original.deepCopy();
        copy.put("time", moments.format(moments.next()));
        copy.remove("ended_at");
        if (copy.has("input_tokens")) {
            copy.put("input_tokens", EventFields.count(copy, "input_tokens") + 1_000)
                    .put("cached_input_tokens", 0);
        }
        if (copy.has("characters")) {
            copy.put("characters", EventFields.count(copy, "characters") + 500);
        }
        if (copy.has("member_id")) {
            copy.put("member_id", pick(Dataset.MEMBERS));
        }
        return copy;
    }

    /**
     * A late correction: the same event at a revision, with what a correction brings (a carrier's
     * price on an SMS, other token counts, another member, sometimes another time).
     */
    ObjectNode corrected(ObjectNode original, long revision) {
        ObjectNode copy = chance(40) ? altered(original) : original.deepCopy();
        copy.put("revision", revision);
        switch (EventFields.type(copy)) {
            case "sms" -> copy.put("cost_usd", BigDecimal.valueOf(random.nextLong(20_000_000), 9));
            case "llm" -> copy.put("output_tokens", random.nextLong(3_000));
            case "chat" -> copy.put("member_id", pick(Dataset.MEMBERS));
            case "message" -> maybe(copy, "member_id", Dataset.MEMBERS, 50);
            default -> {
                // transcriptions and syntheses: the altered counts and time, if drawn, are the correction
            }
        }
        return copy;
    }
}
