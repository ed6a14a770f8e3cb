package dev.tally.bench;

import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic usage shaped like the demo: three tenants of unequal size, eight agents each, calls
 * with their LLM turns, transcriptions and speech, SMS, chats and messages, spread evenly over
 * {@code days} days before {@code endMs}. Batch {@code b} depends only on (seed, b), so the same
 * rows come out whether a batch is appended raw or sent over HTTP, and batches can be made in
 * parallel.
 */
public final class EventGenerator {
    public static final String[] TENANTS = {"bench-a", "bench-b", "bench-c"};
    private static final double[] TENANT_SHARE = {0.5, 0.8, 1.0};
    public static final int AGENTS = 8;
    static final int MEMBERS = 20;
    static final int PHONES = 4;
    private static final String[][] MODELS = {
            {"openai", "gpt-4o-mini", "chat"}, {"openai", "gpt-4o", "chat"}, {"openai", "gpt-4.1-mini", "chat"},
            {"openai", "gpt-4o-realtime-preview", "realtime"}, {"anthropic", "claude-3-5-sonnet", "chat"},
            {"acme-llm", "in-house-7b", "chat"}};
    private static final String[][] STT = {{"deepgram", "nova-2"}, {"openai", "whisper-1"}};
    private static final String[][] TTS = {{"elevenlabs", "turbo-v2"}, {"openai", "tts-1"}};
    private static final String[] SENTIMENTS = {"positive", "neutral", "negative", null};

    private final long seed;
    private final long total;
    private final int batchSize;
    private final long startMs;
    private final long spanMs;
    private final double revisionShare;

    public EventGenerator(long seed, long total, int batchSize, long endMs, int days) {
        this(seed, total, batchSize, endMs, days, 0);
    }

    /**
     * @param revisionShare the share of each batch but the first sent as a later revision of the
     *     event in the same place of the batch before (a late correction: more tokens, a longer
     *     transcription, an SMS price filled in), instead of a new event
     */
    public EventGenerator(long seed, long total, int batchSize, long endMs, int days, double revisionShare) {
        this.revisionShare = revisionShare;
        this.seed = seed;
        this.total = total;
        this.batchSize = batchSize;
        this.spanMs = days * 86_400_000L;
        this.startMs = endMs - spanMs;
    }

    public long total() {
        return total;
    }

    public int batches() {
        return (int) ((total + batchSize - 1) / batchSize);
    }

    public long startMs() {
        return startMs;
    }

    static String phone(int tenant, int number) {
        return "+1415555" + tenant + "0" + (10 + number);
    }

    /** How many events batch {@code index} has: the batch size, but for a shorter last batch. */
    public int batchSize(int index) {
        long first = (long) index * batchSize;
        return (int) (Math.min(total, first + batchSize) - first);
    }

    /** The events of batch {@code index}, in time order, but for revisions of the batch before. */
    public List<Event> batch(int index) {
        List<Event> events = newEvents(index);
        if (revisionShare == 0 || index == 0) {
            return events;
        }
        List<Event> before = newEvents(index - 1);
        boolean[] chosen = revisionPlaces(index, events.size());
        // a place revised in the batch before never sent its own new event: there is nothing to revise
        boolean[] chosenBefore = revisionPlaces(index - 1, before.size());
        for (int offset = 0; offset < events.size(); offset++) {
            if (chosen[offset] && !chosenBefore[offset]) {
                Event revision = revised(before.get(offset));
                if (revision != null) {
                    events.set(offset, revision);
                }
            }
        }
        return events;
    }

    /** The places of batch {@code index} that revise the batch before, where its event can be revised. */
    private boolean[] revisionPlaces(int index, int size) {
        boolean[] chosen = new boolean[size];
        if (index > 0) {
            SplittableRandom random = new SplittableRandom(seed * 7_000_003L + index);
            for (int offset = 0; offset < size; offset++) {
                chosen[offset] = random.nextDouble() < revisionShare;
            }
        }
        return chosen;
    }

    private List<Event> newEvents(int index) {
        long first = (long) index * batchSize;
        long last = Math.min(total, first + batchSize);
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        List<Event> events = new ArrayList<>((int) (last - first));
        String[] latestCalls = new String[TENANTS.length];
        for (long position = first; position < last; position++) {
            long time = startMs + (long) ((double) position / total * spanMs);
            events.add(event(random, position, time, latestCalls));
        }
        return events;
    }

    /**
     * One event. A part (LLM turn, transcription, synthesis) belongs to its tenant's latest call
     * in the batch, so the cost of a call adds up real parts; before the batch's first call of the
     * tenant it names a call that was never sent, as parts of calls reported elsewhere do.
     */
    private Event event(SplittableRandom random, long position, long time, String[] latestCalls) {
        double pick = random.nextDouble();
        int tenant = pick < TENANT_SHARE[0] ? 0 : pick < TENANT_SHARE[1] ? 1 : 2;
        Event event = new Event();
        event.tenantId = TENANTS[tenant];
        event.id = "e" + position;
        event.timeMs = time;
        int agent = random.nextInt(AGENTS);
        int member = random.nextInt(MEMBERS);
        event.agentId = "agent-" + agent;
        String callId = latestCalls[tenant] != null ? latestCalls[tenant] : "call-" + (position / 17);
        double kind = random.nextDouble();
        if (kind < 0.06) {
            call(random, event, tenant);
            latestCalls[tenant] = event.id;
        } else if (kind < 0.40) {
            event.type = EventType.LLM;
            String[] model = MODELS[random.nextInt(MODELS.length)];
            event.provider = model[0];
            event.model = model[1];
            event.kind = model[2];
            event.callId = callId;
            event.userEmail = "user" + member + "@" + event.tenantId + ".example";
            event.inputTokens = 200 + random.nextInt(4000);
            event.cachedInputTokens = random.nextInt(3) == 0 ? event.inputTokens / 2 : 0;
            event.outputTokens = 20 + random.nextInt(600);
            if ("realtime".equals(event.kind)) {
                event.inputAudioTokens = random.nextInt(2000);
                event.outputAudioTokens = random.nextInt(2000);
            }
            event.endedMs = random.nextInt(50) == 0 ? null : time + latency(random);
            event.exception = random.nextInt(50) == 0 ? "RateLimitError: slow down" : null;
            event.opName = "turn";
            event.traceId = callId;
            event.costSource = CostSource.NONE;
        } else if (kind < 0.65) {
            event.type = EventType.STT;
            String[] model = STT[random.nextInt(STT.length)];
            event.provider = model[0];
            event.model = model[1];
            event.callId = callId;
            event.durationMs = 500L + random.nextInt(15_000);
        } else if (kind < 0.90) {
            event.type = EventType.TTS;
            String[] model = TTS[random.nextInt(TTS.length)];
            event.provider = model[0];
            event.model = model[1];
            event.callId = callId;
            event.characters = 20L + random.nextInt(400);
            event.audioDurationMs = 1000L + random.nextInt(20_000);
        } else if (kind < 0.95) {
            event.type = EventType.SMS;
            event.agentId = null;
            event.direction = random.nextBoolean() ? "inbound" : "outbound";
            event.phoneNumber = phone(tenant, random.nextInt(PHONES));
            event.characters = 10L + random.nextInt(300);
            event.encoding = random.nextInt(10) == 0 ? "ucs2" : "gsm7";
            long perSegment = "gsm7".equals(event.encoding) ? 153 : 67;
            event.segments = (int) (event.characters <= ("gsm7".equals(event.encoding) ? 160 : 70) ? 1
                    : (event.characters + perSegment - 1) / perSegment);
        } else if (kind < 0.96) {
            event.type = EventType.CHAT;
            event.memberId = "m" + member;
        } else {
            event.type = EventType.MESSAGE;
            event.memberId = random.nextInt(4) == 0 ? null : "m" + member;
            event.chatId = "e" + Math.max(0, position - 1 - random.nextInt(500));
            event.role = random.nextBoolean() ? "user" : "assistant";
        }
        return event;
    }

    /** A later revision of an event, changed as a correction would change it; null for a chat or message. */
    private static Event revised(Event event) {
        Event revision = event.copy();
        revision.revision = event.revision + 1;
        switch (event.type) {
            case LLM -> revision.outputTokens += 7;
            case STT -> revision.durationMs += 1_000;
            case TTS -> revision.characters += 10;
            case SMS -> {
                revision.costNanos = 7_900_000L * revision.segments;
                revision.costSource = CostSource.REPORTED;
            }
            case CALL -> {
                if (revision.endedMs == null) {
                    return null;
                }
                revision.durationMs += 1_000;
                revision.endedMs += 1_000;
            }
            case CHAT, MESSAGE, FEE -> {
                return null;
            }
        }
        return revision;
    }

    private static long latency(SplittableRandom random) {
        return (long) (150 + Math.exp(random.nextDouble() * 8.5));
    }

    /** A call; one in five first arrives in progress and is replaced by its final state a few slots later. */
    private static void call(SplittableRandom random, Event event, int tenant) {
        event.type = EventType.CALL;
        event.direction = random.nextInt(3) == 0 ? "outbound" : "inbound";
        event.phoneNumber = phone(tenant, random.nextInt(PHONES));
        event.memberId = null;
        double outcome = random.nextDouble();
        if (outcome < 0.03) {
            event.status = "in_progress";
            return;
        }
        event.status = outcome < 0.12 ? "failed" : "completed";
        long duration = 5_000L + (long) (Math.exp(random.nextDouble() * 13));
        event.durationMs = duration;
        event.endedMs = event.timeMs + duration;
        event.sentiment = SENTIMENTS[random.nextInt(SENTIMENTS.length)];
        event.endReason = "hangup";
        if (random.nextBoolean()) {
            event.costNanos = duration * 20_000L;
            event.costSource = CostSource.REPORTED;
        }
    }
}
