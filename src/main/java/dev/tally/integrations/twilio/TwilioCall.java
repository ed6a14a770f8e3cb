package dev.tally.integrations.twilio;

import dev.tally.error.Rejection;
import dev.tally.event.CallStatus;
import dev.tally.integrations.MappedEvent;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A Voice status callback as a {@code call} event with id {@code CallSid}, provider {@code twilio}.
 * Only a call that is over is stored: {@code completed}, or {@code busy}, {@code failed},
 * {@code no-answer}, {@code canceled} as a failed call with that end reason; the progress callbacks
 * before it (queued, initiated, ringing, in-progress) are answered and ignored. {@code Timestamp},
 * when the callback's event fired, is the call's end, and its start is that less {@code CallDuration}.
 * A callback with a price (Twilio's carrier charge, the call's telephony cost) is revision 1, one
 * without it revision 0, so a late price replaces the call and a priceless redelivery never undoes it.
 */
final class TwilioCall {
    /** Twilio ends every call within a day (its {@code TimeLimit} is at most 24 hours). */
    private static final long MAX_CALL_SECONDS = 86_400;

    private TwilioCall() {
    }

    static TwilioCallback map(TwilioForm form, String agentId, Instant received) {
        String sid = form.requiredSid("CallSid");
        TwilioCallStatus status = form.requiredOneOf("CallStatus", TwilioCallStatus.values(), TwilioCallStatus::wireName);
        Optional<CallStatus> outcome = status.outcome();
        if (outcome.isEmpty()) {
            return TwilioCallback.ignored(sid, status.wireName());
        }
        Optional<TwilioPrice> price = TwilioPrice.of(form);
        Instant ended = timestamp(form).orElse(received);
        Long duration = form.wholeNumber("CallDuration");
        if (duration != null && duration > MAX_CALL_SECONDS) {
            throw Rejection.invalid("CallDuration", "must be at most " + MAX_CALL_SECONDS + " seconds: no Twilio call"
                    + " lasts longer than a day");
        }
        Instant started = ended.minusSeconds(duration == null ? 0 : duration);
        String direction = TwilioParties.direction(form.text("Direction"));
        String numberParameter = TwilioParties.workspaceNumberParameter(direction);
        long revision = price.isPresent() ? 1 : 0;
        MappedEvent event = new MappedEvent(sid, "call", started.toString(), "Timestamp")
                .put("id", sid, "CallSid")
                .put("revision", revision, "Price")
                .put("provider", "twilio", null)
                .put("status", outcome.get().wireName(), "CallStatus")
                .put("ended_at", ended.toString(), "Timestamp")
                .put("duration_seconds", duration, "CallDuration")
                .put("direction", direction, "Direction")
                .put("phone_number", direction == null ? null : TwilioParties.e164(form.text(numberParameter)),
                        numberParameter)
                .put("agent_id", agentId, "agent_id")
                .put("end_reason", outcome.get() == CallStatus.FAILED ? status.wireName() : null, "CallStatus")
                .attribute("twilio_status", status.wireName(), "CallStatus")
                .attribute("twilio_direction", direction == null ? form.text("Direction") : null, "Direction")
                .attribute("twilio_parent_call_sid", form.text("ParentCallSid"), "ParentCallSid");
        price.ifPresent(charge -> charge.applyTo(event));
        return new TwilioCallback(sid, status.wireName(), revision, event);
    }

    /** Twilio's {@code Timestamp}, an RFC 2822 date ({@code Tue, 01 Aug 2023 20:47:51 +0000}); empty when absent. */
    private static Optional<Instant> timestamp(TwilioForm form) {
        String timestamp = form.text("Timestamp");
        if (timestamp == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(timestamp.trim())));
        } catch (DateTimeParseException malformed) {
            throw Rejection.invalid("Timestamp", "must be an RFC 2822 date such as Tue, 01 Aug 2023 20:47:51 +0000");
        }
    }
}
