package dev.tally.ingest;

import dev.tally.event.CallStatus;
import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.sms.SmsCount;
import dev.tally.sms.SmsEncoding;
import dev.tally.sms.SmsSegments;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns one JSON event into an {@link Event} by the ingest contract ({@code shared/spec/events.md}),
 * or throws {@link InvalidField}. It checks shape and values only; which tenant may write is the
 * {@link IngestService}'s decision.
 */
public final class EventParser {
    static final long FUTURE_TOLERANCE_MS = 24L * 60 * 60 * 1000;
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final Set<String> TYPES = Arrays.stream(EventType.values()).map(EventType::wireName)
            .collect(Collectors.toUnmodifiableSet());
    private static final Set<String> CALL_STATUSES = Arrays.stream(CallStatus.values()).map(CallStatus::wireName)
            .collect(Collectors.toUnmodifiableSet());
    private static final Set<String> DIRECTIONS = Set.of("inbound", "outbound");
    private static final Set<String> SENTIMENTS = Set.of("positive", "neutral", "negative");
    private static final Set<String> LLM_KINDS = Set.of("chat", "realtime");
    private static final Set<String> ROLES = Set.of("user", "assistant", "system", "tool");
    private static final Set<String> ENCODINGS = Set.of("gsm7", "ucs2");
    private static final Set<String> FEE_KINDS = Set.of("platform", "analysis", "transport", "phone_number", "other");
    /** Far above any carrier's concatenation limit; keeps segment arithmetic in range. */
    private static final long MAX_SMS_CHARACTERS = 1_000_000;

    private EventParser() {
    }

    public static Event parse(EventJson json, long nowMs) {
        if (!json.isObject()) {
            throw new InvalidField("event", "must be a JSON object");
        }
        FieldReader fields = new FieldReader(json);
        Event event = new Event();
        event.id = fields.requiredText("id", 1, 128);
        event.type = EventType.fromWire(fields.requiredOneOf("type", TYPES)).orElseThrow();
        event.timeMs = notInFuture("time", requiredTime(fields, "time"), nowMs);
        event.tenantId = fields.text("tenant_id", 128);
        event.agentId = fields.text("agent_id", 256);
        event.userEmail = fields.text("user_email", 320);
        event.memberId = fields.text("member_id", 256);
        event.attributes = fields.attributes("attributes");
        event.revision = fields.count("revision");
        event.receivedMs = nowMs;
        switch (event.type) {
            case CALL -> readCall(fields, event, nowMs);
            case LLM -> readLlm(fields, event, nowMs);
            case STT -> readStt(fields, event);
            case TTS -> readTts(fields, event);
            case SMS -> readSms(fields, event);
            case CHAT -> {
                // a chat carries only the common fields; member_id owns it
            }
            case MESSAGE -> readMessage(fields, event);
            case FEE -> readFee(fields, event);
        }
        return event;
    }

    private static long requiredTime(FieldReader fields, String field) {
        Long time = fields.time(field);
        if (time == null) {
            throw new InvalidField(field, "is required");
        }
        return time;
    }

    private static long notInFuture(String field, long timeMs, long nowMs) {
        if (timeMs > nowMs + FUTURE_TOLERANCE_MS) {
            throw new InvalidField(field, "must not be more than a day in the future");
        }
        return timeMs;
    }

    private static Long endedAt(FieldReader fields, Event event, long nowMs) {
        Long ended = fields.time("ended_at");
        if (ended == null) {
            return null;
        }
        notInFuture("ended_at", ended, nowMs);
        if (ended < event.timeMs) {
            throw new InvalidField("ended_at", "must not be before time");
        }
        return ended;
    }

    private static void readCall(FieldReader fields, Event event, long nowMs) {
        event.status = fields.requiredOneOf("status", CALL_STATUSES);
        event.provider = fields.text("provider", 64);
        event.direction = fields.oneOf("direction", DIRECTIONS);
        event.phoneNumber = phoneNumber(fields);
        event.endedMs = endedAt(fields, event, nowMs);
        if (event.isFinalCall() && event.endedMs == null) {
            throw new InvalidField("ended_at", "is required when status is " + event.status);
        }
        Long duration = fields.secondsAsMillis("duration_seconds");
        if (duration == null && event.endedMs != null) {
            duration = event.endedMs - event.timeMs;
        }
        event.durationMs = duration;
        event.sentiment = fields.oneOf("sentiment", SENTIMENTS);
        event.endReason = fields.text("end_reason", 128);
        event.reportedTotalCostNanos = fields.dollarsAsNanos("reported_total_cost_usd");
        reportedCost(fields, event);
    }

    private static String phoneNumber(FieldReader fields) {
        String number = fields.text("phone_number", 32);
        if (number != null && !E164.matcher(number).matches()) {
            throw new InvalidField("phone_number", "must be an E.164 number like +14155550100");
        }
        return number;
    }

    private static void reportedCost(FieldReader fields, Event event) {
        Long cost = fields.dollarsAsNanos("cost_usd");
        if (cost != null) {
            event.costNanos = cost;
            event.costSource = CostSource.REPORTED;
        }
    }

    private static void readLlm(FieldReader fields, Event event, long nowMs) {
        event.provider = fields.text("provider", 64);
        event.model = fields.requiredText("model", 1, 256);
        event.kind = fields.oneOf("kind", LLM_KINDS);
        event.callId = fields.text("call_id", 128);
        event.chatId = fields.text("chat_id", 128);
        event.endedMs = endedAt(fields, event, nowMs);
        event.exception = fields.anyAsText("exception");
        event.opName = fields.text("op_name", 256);
        event.traceId = fields.text("trace_id", 128);
        event.parentId = fields.text("parent_id", 128);
        event.threadId = fields.text("thread_id", 128);
        event.turnId = fields.text("turn_id", 128);
        event.runId = fields.text("run_id", 128);
        event.inputTokens = fields.count("input_tokens");
        event.cachedInputTokens = fields.count("cached_input_tokens");
        event.cacheCreationInputTokens = fields.count("cache_creation_input_tokens");
        event.outputTokens = fields.count("output_tokens");
        event.inputAudioTokens = fields.count("input_audio_tokens");
        event.outputAudioTokens = fields.count("output_audio_tokens");
        if (event.cachedInputTokens > event.inputTokens) {
            throw new InvalidField("cached_input_tokens", "must not exceed input_tokens, which includes them");
        }
        reportedCost(fields, event);
    }

    private static void readStt(FieldReader fields, Event event) {
        event.callId = fields.text("call_id", 128);
        event.provider = fields.text("provider", 64);
        event.model = fields.text("model", 256);
        event.durationMs = fields.secondsAsMillis("duration_seconds");
        reportedCost(fields, event);
    }

    private static void readTts(FieldReader fields, Event event) {
        event.callId = fields.text("call_id", 128);
        event.provider = fields.text("provider", 64);
        event.model = fields.text("model", 256);
        event.characters = fields.optionalCount("characters");
        event.audioDurationMs = fields.secondsAsMillis("audio_duration_seconds");
        reportedCost(fields, event);
    }

    private static void readSms(FieldReader fields, Event event) {
        event.direction = fields.requiredOneOf("direction", DIRECTIONS);
        event.phoneNumber = phoneNumber(fields);
        // a text sent during a call (a confirmation, a link) is part of that call's cost
        event.callId = fields.text("call_id", 128);
        String body = fields.freeText("body", 65_536);
        SmsCount count;
        if (body != null) {
            count = SmsSegments.count(body);
            event.body = body;
        } else {
            Long characters = fields.optionalCount("characters");
            String encoding = fields.oneOf("encoding", ENCODINGS);
            if (characters == null) {
                throw new InvalidField("body", "is required, or characters and encoding when the body must not be sent");
            }
            if (encoding == null) {
                throw new InvalidField("encoding", "is required with characters (gsm7 or ucs2)");
            }
            if (characters > MAX_SMS_CHARACTERS) {
                throw new InvalidField("characters", "must be at most " + MAX_SMS_CHARACTERS);
            }
            count = SmsSegments.fromCharacters(characters, SmsEncoding.fromWire(encoding).orElseThrow());
        }
        event.characters = count.characters();
        event.encoding = count.encoding().wireName();
        event.segments = count.segments();
        event.carrierSegments = fields.optionalCount("segments");
        reportedCost(fields, event);
    }

    private static void readFee(FieldReader fields, Event event) {
        event.kind = fields.requiredOneOf("kind", FEE_KINDS);
        event.provider = fields.text("provider", 64);
        event.callId = fields.text("call_id", 128);
        event.quantityMicros = fields.decimalAsMicros("quantity");
        event.unit = fields.text("unit", 64);
        if (!fields.has("cost_usd")) {
            throw new InvalidField("cost_usd", "is required: a fee is the charge its sender reports");
        }
        reportedCost(fields, event);
    }

    private static void readMessage(FieldReader fields, Event event) {
        event.chatId = fields.text("chat_id", 128);
        event.role = fields.oneOf("role", ROLES);
        event.channel = fields.text("channel", 64);
    }
}
