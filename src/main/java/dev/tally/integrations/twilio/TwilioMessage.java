package dev.tally.integrations.twilio;

import dev.tally.integrations.MappedEvent;
import java.time.Instant;
import java.util.Optional;

/**
 * A Messaging status callback as an {@code sms} event with id {@code MessageSid}. Twilio sends one
 * callback per status (queued, sent, delivered, …) and its price, if at all, only in a later one:
 * each stored callback is a revision of the one event, numbered by how far the message got, and a
 * callback with a price above every one without, so whatever order the callbacks arrive in, the event
 * ends as the richest of them, and an identical redelivery is a duplicate.
 *
 * <p>Status callbacks carry no time and no body: the event's time is when Tally received the
 * callback, and without {@code Body} the message is counted as zero characters, billed by Twilio's
 * {@code NumSegments} when it sends it.
 */
final class TwilioMessage {
    /** Above every status's progress: a callback with a price outranks any without. */
    private static final long PRICED = 4;

    private TwilioMessage() {
    }

    static TwilioCallback map(TwilioForm form, String agentId, Instant received) {
        String sidParameter = form.firstPresent("MessageSid", "SmsSid");
        String sid = form.requiredSid(sidParameter);
        String statusParameter = form.firstPresent("MessageStatus", "SmsStatus");
        TwilioMessageStatus status = form.requiredOneOf(statusParameter, TwilioMessageStatus.values(),
                TwilioMessageStatus::wireName);
        if (status.progress() == 0) {
            return TwilioCallback.ignored(sid, status.wireName());
        }
        Optional<TwilioPrice> price = TwilioPrice.of(form);
        String direction = TwilioParties.direction(form.text("Direction"));
        if (direction == null) {
            direction = status.isInbound() ? "inbound" : "outbound";
        }
        String numberParameter = TwilioParties.workspaceNumberParameter(direction);
        long revision = status.progress() + (price.isPresent() ? PRICED : 0);
        MappedEvent event = new MappedEvent(sid, "sms", received.toString(), null).put("id", sid, sidParameter)
                .put("revision", revision, statusParameter)
                .put("direction", direction, "Direction")
                .put("phone_number", TwilioParties.e164(form.text(numberParameter)), numberParameter)
                .put("agent_id", agentId, "agent_id")
                .put("segments", form.wholeNumber("NumSegments"), "NumSegments")
                .attribute("twilio_status", status.wireName(), statusParameter)
                .attribute("twilio_error_code", form.text("ErrorCode"), "ErrorCode");
        String body = form.text("Body");
        if (body != null) {
            event.put("body", body, "Body");
        } else {
            event.put("characters", 0L, "Body").put("encoding", "gsm7", "Body");
        }
        price.ifPresent(charge -> charge.applyTo(event));
        return new TwilioCallback(sid, status.wireName(), revision, event);
    }
}
