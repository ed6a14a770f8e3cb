package dev.tally.integrations.retell;

import dev.tally.error.Rejection;
import dev.tally.integrations.MappedEvent;
import dev.tally.integrations.Payload;
import dev.tally.text.UnicodeText;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code call} object of Retell's {@code call_ended} and {@code call_analyzed} webhooks as Tally
 * events: the call (its telephony cost, Retell's {@code combined_cost} kept for reconciliation) and
 * one event per other entry of {@code call_cost.product_costs[]} ({@link RetellProduct}). Retell's
 * amounts are in cents: each is divided by 100 exactly. Every id derives from Retell's
 * {@code call_id} ({@code <call id>:tts}, a second synthesis product {@code <call id>:tts:2}), and
 * every event carries the webhook's revision, so {@code call_analyzed} replaces what
 * {@code call_ended} stored, whichever arrives first, and a redelivery is a duplicate.
 *
 * <p>Field names are those of the {@code retell-sdk} package's call response types
 * ({@code PhoneCallResponse}, {@code WebCallResponse}, {@code CallCost.ProductCost}).
 */
final class RetellCall {
    /** Leaves room for the part suffix within the contract's 128 characters of an id. */
    private static final int MAX_CALL_ID = 100;
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final BigDecimal CENTS_PER_DOLLAR = BigDecimal.valueOf(100);
    private static final BigDecimal MILLISECONDS_PER_SECOND = BigDecimal.valueOf(1000);
    /** Metadata is the platform's free storage: only short texts become attributes, the rest is not Tally's. */
    private static final int MAX_ATTRIBUTE_CHARACTERS = 256;
    /**
     * Retell's disconnection reasons that mean the call did not happen as meant (beside every
     * {@code error_…} reason): it was never placed, or the carrier or Retell could not carry it.
     */
    private static final Set<String> FAILED_REASONS = Set.of("dial_failed", "invalid_destination",
            "telephony_provider_permission_denied", "telephony_provider_unavailable", "sip_routing_error",
            "concurrency_limit_reached", "no_concurrency_fallback", "no_valid_payment", "registered_call_timeout");

    private final Payload call;
    private final long revision;
    private final String callId;
    private final String time;
    private final String timeSource;
    private final Map<String, String> attributes = new HashMap<>();
    private final List<MappedEvent> parts = new ArrayList<>();
    private final Map<String, Integer> partsOfName = new HashMap<>();

    private RetellCall(Payload call, long revision) {
        this.call = call;
        this.revision = revision;
        this.callId = call.requiredText("call_id", MAX_CALL_ID);
        // a call that never connected has no start: it happened when it ended
        String field = call.has("start_timestamp") || !call.has("end_timestamp") ? "start_timestamp" : "end_timestamp";
        this.time = instant(call, field);
        if (time == null) {
            throw Rejection.invalid(call.path("start_timestamp"), "is required");
        }
        this.timeSource = call.path(field);
    }

    /** The events of one webhook's call: the call first, then its parts. */
    static List<MappedEvent> events(Payload call, long revision) {
        return new RetellCall(call, revision).map();
    }

    private List<MappedEvent> map() {
        call.lenientObject("metadata").ifPresent(this::readAttributes);
        MappedEvent callEvent = callEvent();
        Optional<Payload> cost = call.optionalObject("call_cost");
        if (cost.isPresent()) {
            callEvent.put("reported_total_cost_usd", dollars(cost.get(), "combined_cost"),
                    cost.get().path("combined_cost"));
            List<Payload> products = cost.get().objects("product_costs");
            if (!products.isEmpty()) {
                BigDecimal telephony = BigDecimal.ZERO;
                for (Payload product : products) {
                    telephony = telephony.add(product(product));
                }
                callEvent.put("cost_usd", telephony, products.get(0).path("cost"));
            }
        }
        List<MappedEvent> events = new ArrayList<>();
        events.add(callEvent);
        events.addAll(parts);
        return events;
    }

    private MappedEvent callEvent() {
        MappedEvent event = event(callId, "call").put("provider", "retell", null);
        String ended = instant(call, "end_timestamp");
        event.put("ended_at", ended == null ? time : ended, ended == null ? timeSource : call.path("end_timestamp"));
        Long durationMs = call.count("duration_ms");
        event.put("duration_seconds", durationMs == null ? null
                : BigDecimal.valueOf(durationMs).divide(MILLISECONDS_PER_SECOND), call.path("duration_ms"));
        String reason = call.text("disconnection_reason");
        event.put("status", failed(reason, call.lenientText("call_status")) ? "failed" : "completed", null);
        event.put("end_reason", reason, call.path("disconnection_reason"));
        String direction = call.lenientText("direction");
        if ("inbound".equals(direction) || "outbound".equals(direction)) {
            event.put("direction", direction, call.path("direction"));
            // the workspace's own number: the one called on an inbound call, the caller on an outbound one
            String number = call.lenientText(direction.equals("inbound") ? "to_number" : "from_number");
            if (number != null && E164.matcher(number).matches()) {
                event.put("phone_number", number, null);
            }
        }
        call.lenientObject("call_analysis").map(analysis -> analysis.lenientText("user_sentiment"))
                .map(sentiment -> sentiment.toLowerCase(Locale.ROOT))
                .filter(sentiment -> Set.of("positive", "neutral", "negative").contains(sentiment))
                .ifPresent(sentiment -> event.put("sentiment", sentiment, null));
        return event;
    }

    /** An {@code error_…} reason, one of {@link #FAILED_REASONS}, or Retell's own {@code call_status} error. */
    private static boolean failed(String reason, String callStatus) {
        return "error".equals(callStatus)
                || reason != null && (reason.startsWith("error") || FAILED_REASONS.contains(reason));
    }

    /** Adds the product's event; returns its telephony cost, zero for every other product. */
    private BigDecimal product(Payload product) {
        String name = product.requiredText("product", 128);
        BigDecimal amount = dollars(product, "cost");
        if (amount == null) {
            throw Rejection.invalid(product.path("cost"), "is required");
        }
        RetellProduct kind = RetellProduct.of(name);
        switch (kind) {
            case TELEPHONY -> {
                return amount;
            }
            // Retell prices its LLM per minute and reports no input/output split: its cost is stored, never re-priced
            case STT, TTS, LLM -> part(kind, kind.partName(), product, amount).put("model", name, product.path("product"));
            case ANALYSIS, PLATFORM, OTHER -> part(kind, "fee", product, amount).put("kind", kind.partName(), null);
        }
        return BigDecimal.ZERO;
    }

    private MappedEvent part(RetellProduct kind, String type, Payload product, BigDecimal amount) {
        int seen = partsOfName.merge(kind.partName(), 1, Integer::sum);
        String id = callId + ":" + kind.partName() + (seen == 1 ? "" : ":" + seen);
        MappedEvent event = event(id, type).put("call_id", callId, call.path("call_id"))
                .put("provider", "retell", null)
                .put("cost_usd", amount, product.path("cost"))
                .attribute("retell_product", product.text("product"), product.path("product"));
        parts.add(event);
        return event;
    }

    private MappedEvent event(String id, String type) {
        MappedEvent event = new MappedEvent(id, type, time, timeSource).put("id", id, call.path("call_id"))
                .put("revision", revision, null);
        event.put("agent_id", call.text("agent_id"), call.path("agent_id"));
        attributes.forEach((name, value) -> event.attribute(name, value, call.path("metadata") + "." + name));
        return event;
    }

    /**
     * Metadata's string values, on the call and every part so a report by attribute sees the whole
     * cost; a value the contract would refuse or that is long is left out rather than refusing the call.
     */
    private void readAttributes(Payload metadata) {
        for (String name : metadata.fieldNames()) {
            String value = metadata.lenientText(name);
            if (value != null && name.length() <= MAX_ATTRIBUTE_CHARACTERS && value.length() <= MAX_ATTRIBUTE_CHARACTERS
                    && !name.isEmpty() && UnicodeText.problem(name, true) == null
                    && UnicodeText.problem(value, true) == null) {
                attributes.put(name, value);
            }
        }
    }

    /** Cents as dollars, exactly: a decimal point moved, never a double. */
    private static BigDecimal dollars(Payload holder, String field) {
        BigDecimal cents = holder.decimal(field);
        return cents == null ? null : cents.divide(CENTS_PER_DOLLAR);
    }

    /** An epoch-milliseconds field as the RFC 3339 time the contract reads; a year it refuses is refused by name. */
    private static String instant(Payload holder, String field) {
        Long epochMs = holder.count(field);
        return epochMs == null ? null : Instant.ofEpochMilli(epochMs).toString();
    }
}
