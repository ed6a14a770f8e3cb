package dev.tally.integrations.vapi;

import dev.tally.error.Rejection;
import dev.tally.integrations.MappedEvent;
import dev.tally.integrations.Payload;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Vapi's {@code end-of-call-report} as Tally events: the call (its telephony cost, Vapi's own total
 * kept for reconciliation) and one event per component of {@code costs[]}, or of the older
 * {@code costBreakdown} when {@code costs} is absent. Every id derives from Vapi's call id
 * ({@code <call id>:llm}, a second model cost {@code <call id>:llm:2}), so a redelivered report is
 * a duplicate of the first.
 *
 * <p>Field names are those of Vapi's server SDKs ({@code ServerMessageEndOfCallReport}, {@code Call},
 * {@code TransportCost}, {@code TranscriberCost}, {@code ModelCost}, {@code VoiceCost}, {@code VapiCost},
 * {@code AnalysisCost}, {@code CostBreakdown}). A component type Tally does not know (voicemail
 * detection, knowledge base, …) is still a cost of the call: a fee of kind {@code other}, so the
 * components add up to Vapi's total.
 */
final class VapiEndOfCallReport {
    /** Leaves room for the part suffix within the contract's 128 characters of an id. */
    private static final int MAX_CALL_ID = 100;
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final BigDecimal SECONDS_PER_MINUTE = BigDecimal.valueOf(60);
    /** The amounts of {@code costBreakdown} read as their own part; any other amount is a fee of kind other. */
    private static final Set<String> BREAKDOWN_READ = Set.of("transport", "stt", "llm", "tts", "vapi");

    private final Payload message;
    private final Payload call;
    private final String callId;
    private final String time;
    private final String timeSource;
    private final List<MappedEvent> parts = new ArrayList<>();
    private final Map<String, Integer> partsOfName = new HashMap<>();

    private VapiEndOfCallReport(Payload message) {
        this.message = message;
        this.call = message.object("call");
        this.callId = call.requiredText("id", MAX_CALL_ID);
        Payload started = Payload.firstWith("startedAt", message, call)
                .or(() -> Payload.firstWith("createdAt", call))
                .orElseThrow(() -> Rejection.invalid(message.path("startedAt"), "is required"));
        String field = started.has("startedAt") ? "startedAt" : "createdAt";
        this.time = started.text(field);
        this.timeSource = started.path(field);
    }

    /** The events of one report: the call first, then its parts. */
    static List<MappedEvent> events(Payload message) {
        return new VapiEndOfCallReport(message).map();
    }

    private List<MappedEvent> map() {
        MappedEvent callEvent = callEvent();
        List<Payload> costs = Payload.firstWith("costs", message, call).map(holder -> holder.objects("costs"))
                .orElse(List.of());
        Optional<Payload> breakdown = Payload.firstWith("costBreakdown", message, call)
                .map(holder -> holder.object("costBreakdown"));
        if (!costs.isEmpty()) {
            BigDecimal telephony = BigDecimal.ZERO;
            for (Payload cost : costs) {
                telephony = telephony.add(component(cost, callEvent));
            }
            callEvent.put("cost_usd", telephony, costs.get(0).path("cost"));
        } else if (breakdown.isPresent()) {
            fromBreakdown(breakdown.get(), callEvent);
        }
        List<MappedEvent> events = new ArrayList<>();
        events.add(callEvent);
        events.addAll(parts);
        return events;
    }

    private MappedEvent callEvent() {
        MappedEvent event = new MappedEvent(callId, "call", time, timeSource).put("id", callId, call.path("id"))
                .put("provider", "vapi", null);
        Optional<Payload> ended = Payload.firstWith("endedAt", message, call);
        // a call that never connected has no end: it lasted nothing
        event.put("ended_at", ended.map(holder -> holder.text("endedAt")).orElse(time),
                ended.map(holder -> holder.path("endedAt")).orElse(timeSource));
        Optional<Payload> reasonHolder = Payload.firstWith("endedReason", message, call);
        String reason = reasonHolder.map(holder -> holder.text("endedReason")).orElse(null);
        event.put("status", failed(reason) ? "failed" : "completed", null);
        event.put("end_reason", reason, reasonHolder.map(holder -> holder.path("endedReason")).orElse(null));
        event.put("agent_id", call.text("assistantId"), call.path("assistantId"));
        event.put("direction", direction(call.lenientText("type")), null);
        Payload.firstWith("phoneNumber", message, call).flatMap(holder -> holder.lenientObject("phoneNumber"))
                .map(number -> number.lenientText("number")).filter(number -> E164.matcher(number).matches())
                .ifPresent(number -> event.put("phone_number", number, null));
        Optional<Payload> total = Payload.firstWith("cost", message, call);
        total.ifPresent(holder -> event.put("reported_total_cost_usd", holder.decimal("cost"), holder.path("cost")));
        sentiment().ifPresent(sentiment -> event.put("sentiment", sentiment, null));
        return event;
    }

    /** Vapi's ended reasons that mean the call did not happen as meant: {@code assistant-error}, {@code twilio-failed-to-connect-call}, … */
    private static boolean failed(String reason) {
        return reason != null && (reason.contains("error") || reason.contains("fail"));
    }

    private static String direction(String callType) {
        if ("inboundPhoneCall".equals(callType)) {
            return "inbound";
        }
        if ("outboundPhoneCall".equals(callType)) {
            return "outbound";
        }
        return null;
    }

    /**
     * Vapi has no sentiment of its own; an assistant whose analysis plan extracts one puts it in
     * {@code analysis.structuredData.sentiment}. Any other value there is no sentiment Tally knows.
     */
    private Optional<String> sentiment() {
        return Payload.firstWith("analysis", message, call).flatMap(holder -> holder.lenientObject("analysis"))
                .flatMap(analysis -> analysis.lenientObject("structuredData"))
                .map(data -> data.lenientText("sentiment"))
                .map(text -> text.trim().toLowerCase(Locale.ROOT))
                .filter(text -> text.equals("positive") || text.equals("neutral") || text.equals("negative"));
    }

    /** Adds the component's event; returns its telephony cost (transport), zero for every other type. */
    private BigDecimal component(Payload cost, MappedEvent callEvent) {
        String type = cost.requiredText("type", 64);
        BigDecimal amount = cost.requiredDecimal("cost");
        switch (type) {
            case "transport" -> {
                callEvent.attribute("transport_provider", cost.lenientText("provider"), cost.path("provider"));
                return amount;
            }
            case "transcriber" -> {
                Optional<Payload> transcriber = cost.lenientObject("transcriber");
                BigDecimal minutes = cost.decimal("minutes");
                part("stt", "stt", cost).put("provider", textOf(transcriber, "provider"), null)
                        .put("model", textOf(transcriber, "model"), null)
                        .put("duration_seconds", minutes == null ? null : minutes.multiply(SECONDS_PER_MINUTE),
                                cost.path("minutes"));
            }
            case "model" -> {
                Optional<Payload> model = cost.lenientObject("model");
                String name = textOf(model, "model");
                // the contract requires a model; the cost is Vapi's, so the name only labels it
                part("llm", "llm", cost).put("provider", textOf(model, "provider"), null)
                        .put("model", name == null ? "unknown" : name, cost.path("model"))
                        .put("input_tokens", cost.count("promptTokens"), cost.path("promptTokens"))
                        .put("output_tokens", cost.count("completionTokens"), cost.path("completionTokens"));
            }
            case "voice" -> {
                Optional<Payload> voice = cost.lenientObject("voice");
                String model = textOf(voice, "model");
                part("tts", "tts", cost).put("provider", textOf(voice, "provider"), null)
                        .put("model", model == null ? textOf(voice, "voiceId") : model, null)
                        .put("characters", cost.count("characters"), cost.path("characters"));
            }
            case "vapi" -> part("platform", "fee", cost).put("kind", "platform", null).put("provider", "vapi", null)
                    .put("quantity", cost.decimal("minutes"), cost.path("minutes"))
                    .put("unit", cost.has("minutes") ? "minute" : null, null)
                    .attribute("vapi_sub_type", cost.lenientText("subType"), cost.path("subType"));
            case "analysis" -> part("analysis", "fee", cost).put("kind", "analysis", null)
                    .put("provider", textOf(cost.lenientObject("model"), "provider"), null)
                    .attribute("analysis_type", cost.lenientText("analysisType"), cost.path("analysisType"));
            default -> part("other", "fee", cost).put("kind", "other", null).put("provider", "vapi", null)
                    .attribute("vapi_cost_type", type, cost.path("type"));
        }
        return BigDecimal.ZERO;
    }

    private static String textOf(Optional<Payload> object, String field) {
        return object.map(payload -> payload.lenientText(field)).orElse(null);
    }

    /** A part of the call with its deterministic id and Vapi's cost of it. */
    private MappedEvent part(String name, String type, Payload cost) {
        return part(name, type, cost.requiredDecimal("cost"), cost.path("cost"));
    }

    private MappedEvent part(String name, String type, BigDecimal amount, String amountSource) {
        int seen = partsOfName.merge(name, 1, Integer::sum);
        String id = callId + ":" + name + (seen == 1 ? "" : ":" + seen);
        MappedEvent event = new MappedEvent(id, type, time, timeSource).put("id", id, call.path("id"))
                .put("call_id", callId, call.path("id"))
                .put("cost_usd", amount, amountSource);
        parts.add(event);
        return event;
    }

    /** The older summary of the costs: one amount per kind, tokens and characters beside them. */
    private void fromBreakdown(Payload breakdown, MappedEvent callEvent) {
        BigDecimal transport = breakdown.decimal("transport");
        callEvent.put("cost_usd", transport == null ? BigDecimal.ZERO : transport, breakdown.path("transport"));
        BigDecimal stt = breakdown.decimal("stt");
        if (stt != null) {
            part("stt", "stt", stt, breakdown.path("stt"));
        }
        BigDecimal llm = breakdown.decimal("llm");
        if (llm != null) {
            part("llm", "llm", llm, breakdown.path("llm")).put("model", "unknown", null)
                    .put("input_tokens", breakdown.count("llmPromptTokens"), breakdown.path("llmPromptTokens"))
                    .put("output_tokens", breakdown.count("llmCompletionTokens"), breakdown.path("llmCompletionTokens"));
        }
        BigDecimal tts = breakdown.decimal("tts");
        if (tts != null) {
            part("tts", "tts", tts, breakdown.path("tts"))
                    .put("characters", breakdown.count("ttsCharacters"), breakdown.path("ttsCharacters"));
        }
        BigDecimal vapi = breakdown.decimal("vapi");
        if (vapi != null) {
            part("platform", "fee", vapi, breakdown.path("vapi")).put("kind", "platform", null)
                    .put("provider", "vapi", null);
        }
        Optional<Payload> analysis = breakdown.optionalObject("analysisCostBreakdown");
        if (analysis.isPresent()) {
            BigDecimal sum = BigDecimal.ZERO;
            for (String amount : amounts(analysis.get())) {
                sum = sum.add(analysis.get().requiredDecimal(amount));
            }
            part("analysis", "fee", sum, analysis.get().path("summary")).put("kind", "analysis", null)
                    .put("provider", "vapi", null);
        }
        for (String other : amounts(breakdown)) {
            if (!BREAKDOWN_READ.contains(other)) {
                part("other", "fee", breakdown.requiredDecimal(other), breakdown.path(other)).put("kind", "other", null)
                        .put("provider", "vapi", null).attribute("vapi_cost_type", other, null);
            }
        }
    }

    /** The amounts in USD of a breakdown: its numeric fields but the counts beside them and the total. */
    private static List<String> amounts(Payload breakdown) {
        return breakdown.fieldNames().stream().filter(name -> breakdown.lenientNumber(name))
                .filter(name -> !name.endsWith("Tokens") && !name.endsWith("Characters") && !name.equals("total"))
                .toList();
    }
}
