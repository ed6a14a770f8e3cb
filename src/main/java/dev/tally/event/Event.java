package dev.tally.event;

import java.util.Map;

/**
 * One usage event as Tally stores it: the contract's fields, normalised (times as epoch
 * milliseconds in UTC, money as integer nano-dollars, durations as integer milliseconds), plus
 * what Tally derives at ingest (cost, credits, SMS segments).
 *
 * <p>Integers rather than doubles for money and durations because every report promises exact
 * sums: nano-dollars summed over a hundred million events stay exact, doubles do not. It is a
 * plain mutable class, not a record, because enrichment (pricing, segment counting) fills
 * fields after parsing; once handed to a store it is never changed again.
 *
 * <p>Absent optional values are {@code null}; the store keeps them as SQL NULL so reports can
 * tell "unknown" (no sentiment) from a value.
 */
public final class Event {
    /**
     * One event's cost at most, a million USD in nano-USD: far beyond any real event, reported or
     * computed, and small enough that no report's sum can wrap.
     */
    public static final long MAX_COST_NANOS = 1_000_000_000_000_000L;

    public String tenantId;
    public String id;
    public EventType type;
    public long timeMs;
    public String agentId;
    public String userEmail;
    public String memberId;
    /** Free dimensions, kept as canonical JSON text so every store can hold them the same way. */
    public Map<String, String> attributes = Map.of();
    /** The sender's correction counter, 0 unless given; stored now so that a later rule can compare it. */
    public long revision;

    // call, sms
    public String status;
    public String direction;
    public String phoneNumber;
    public Long endedMs;
    /** call: talk time; stt: audio transcribed. */
    public Long durationMs;
    public String sentiment;
    public String endReason;
    /** call: the platform's own total for the whole call, kept for reconciliation and never added to a sum. */
    public Long reportedTotalCostNanos;

    // llm, stt, tts
    public String provider;
    public String model;
    public String kind;
    public String callId;
    public String chatId;
    public String exception;
    public String opName;
    public String traceId;
    public String parentId;
    public String threadId;
    public String turnId;
    public String runId;
    public long inputTokens;
    public long cachedInputTokens;
    public long cacheCreationInputTokens;
    public long outputTokens;
    public long inputAudioTokens;
    public long outputAudioTokens;

    // tts, sms
    public Long characters;
    public Long audioDurationMs;
    public String encoding;
    public Integer segments;
    /** sms: the carrier's segment count when it reported one; billing uses it, {@link #segments} stays Tally's. */
    public Long carrierSegments;
    /** Kept only when the tenant asks for SMS bodies to be stored. */
    public String body;

    // message
    public String role;
    public String channel;

    // fee (kind, provider and call_id are the shared fields above)
    /** For display only, in millionths of the {@link #unit}: 3.5 minutes is 3,500,000. */
    public Long quantityMicros;
    public String unit;

    /** Final cost in nano-USD: the provider's or carrier's reported cost when given, else Tally's price. */
    public long costNanos;
    public CostSource costSource = CostSource.NONE;
    /** The part of {@link #costNanos} for input tokens (text, cached, cache creation, audio); LLM events only. */
    public long inputCostNanos;
    /** The rest of {@link #costNanos}: output tokens; always {@code costNanos - inputCostNanos}. */
    public long outputCostNanos;
    /** Credits in millionths of a credit, computed with the model's multiplier at ingest. */
    public long creditsMicros;

    public long receivedMs;

    /** A field-by-field copy: a later state or a correction starts from the stored event and changes what differs. */
    public Event copy() {
        Event copy = new Event();
        copy.tenantId = tenantId;
        copy.id = id;
        copy.type = type;
        copy.timeMs = timeMs;
        copy.agentId = agentId;
        copy.userEmail = userEmail;
        copy.memberId = memberId;
        copy.attributes = attributes;
        copy.revision = revision;
        copy.status = status;
        copy.direction = direction;
        copy.phoneNumber = phoneNumber;
        copy.endedMs = endedMs;
        copy.durationMs = durationMs;
        copy.sentiment = sentiment;
        copy.endReason = endReason;
        copy.reportedTotalCostNanos = reportedTotalCostNanos;
        copy.provider = provider;
        copy.model = model;
        copy.kind = kind;
        copy.callId = callId;
        copy.chatId = chatId;
        copy.exception = exception;
        copy.opName = opName;
        copy.traceId = traceId;
        copy.parentId = parentId;
        copy.threadId = threadId;
        copy.turnId = turnId;
        copy.runId = runId;
        copy.inputTokens = inputTokens;
        copy.cachedInputTokens = cachedInputTokens;
        copy.cacheCreationInputTokens = cacheCreationInputTokens;
        copy.outputTokens = outputTokens;
        copy.inputAudioTokens = inputAudioTokens;
        copy.outputAudioTokens = outputAudioTokens;
        copy.characters = characters;
        copy.audioDurationMs = audioDurationMs;
        copy.encoding = encoding;
        copy.segments = segments;
        copy.carrierSegments = carrierSegments;
        copy.body = body;
        copy.role = role;
        copy.channel = channel;
        copy.quantityMicros = quantityMicros;
        copy.unit = unit;
        copy.costNanos = costNanos;
        copy.costSource = costSource;
        copy.inputCostNanos = inputCostNanos;
        copy.outputCostNanos = outputCostNanos;
        copy.creditsMicros = creditsMicros;
        copy.receivedMs = receivedMs;
        return copy;
    }

    public long totalTokens() {
        return inputTokens + cacheCreationInputTokens + outputTokens + inputAudioTokens + outputAudioTokens;
    }

    /** The segments an SMS is billed for: the carrier's count when it reported one, else Tally's. */
    public long billedSegments() {
        if (carrierSegments != null) {
            return carrierSegments;
        }
        return segments == null ? 0 : segments;
    }

    public boolean isFinalCall() {
        return type == EventType.CALL && CallStatus.isFinal(status);
    }
}
