package dev.tally.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Text conversations on the tenant's numbers: mostly the workspace writing first (reminders,
 * notifications) and customers sometimes replying, sometimes a customer asking and the workspace
 * answering. Some outbound messages get the carrier's price only later: first stored priced by the
 * book, then corrected by a higher revision carrying {@code cost_usd} (a late correction), which
 * the reports then show instead.
 */
final class SmsGenerator {
    private final DemoTenant tenant;
    private final Consumer<ObjectNode> sink;
    private final long nowMs;
    private final DemoAgent sender;
    /** How long after a message its carrier's price arrives. */
    private static final long CARRIER_DELAY_MS = 3_600_000L;

    SmsGenerator(DemoTenant tenant, Consumer<ObjectNode> sink, long nowMs) {
        this.tenant = tenant;
        this.sink = sink;
        this.nowMs = nowMs;
        this.sender = tenant.agents().stream().filter(DemoAgent::outbound).findFirst().orElse(tenant.agents().get(0));
    }

    void day(LocalDate date, double progress, SplittableRandom random) {
        int count = DayShape.count(tenant.smsConversations(), date, progress, random);
        String prefix = "sms_" + tenant.id() + "_" + date.format(DateTimeFormatter.BASIC_ISO_DATE) + "_";
        for (int number = 0; number < count; number++) {
            long startMs = DayShape.startMs(date, tenant.utcOffsetHours(), random);
            conversation(prefix + String.format("%03d", number), startMs, random).sendWhole(nowMs, sink);
        }
    }

    private PendingEvents conversation(String conversationId, long startMs, SplittableRandom random) {
        String phoneNumber = Draw.one(random, tenant.phoneNumbers());
        PendingEvents events = new PendingEvents();
        long atMs = startMs;
        if (Draw.chance(random, 0.65)) {
            ObjectNode opening = sms(conversationId + "_0", "outbound", phoneNumber, SmsBodies.opening(random, tenant),
                    atMs);
            events.add(opening, atMs);
            if (Draw.chance(random, 0.3)) {
                events.add(carrierPrice(opening, random), atMs + CARRIER_DELAY_MS);
            }
            if (Draw.chance(random, 0.55)) {
                atMs += Draw.between(random, 30, 2_400) * 1_000L;
                events.add(sms(conversationId + "_1", "inbound", phoneNumber, SmsBodies.reply(random, tenant), atMs),
                        atMs);
                if (Draw.chance(random, 0.5)) {
                    atMs += Draw.between(random, 5, 90) * 1_000L;
                    events.add(sms(conversationId + "_2", "outbound", phoneNumber, SmsBodies.answer(random, tenant),
                            atMs), atMs);
                }
            }
        } else {
            events.add(sms(conversationId + "_0", "inbound", phoneNumber, SmsBodies.question(random, tenant), atMs),
                    atMs);
            atMs += Draw.between(random, 5, 600) * 1_000L;
            events.add(sms(conversationId + "_1", "outbound", phoneNumber, SmsBodies.answer(random, tenant), atMs),
                    atMs);
        }
        return events;
    }

    /**
     * The carrier's price of an outbound message, as it reaches the platform about an hour after
     * the message: the same event at revision 1 with the price per segment the carrier billed
     * (0.0075 to 0.0083 USD, by the GSM-7 length of the body).
     */
    private static ObjectNode carrierPrice(ObjectNode sms, SplittableRandom random) {
        int segments = Math.max(1, (sms.path("body").asText().length() + 152) / 153);
        java.math.BigDecimal perSegment = java.math.BigDecimal.valueOf(Draw.between(random, 75, 83), 4);
        return sms.deepCopy().put("revision", 1).put("cost_usd", perSegment.multiply(java.math.BigDecimal.valueOf(segments)));
    }

    private ObjectNode sms(String id, String direction, String phoneNumber, String body, long timeMs) {
        ObjectNode sms = DemoJson.event(tenant.id(), id, "sms", timeMs);
        if ("outbound".equals(direction)) {
            sms.put("agent_id", sender.id());
            sms.put("user_email", sender.userEmail());
        }
        sms.put("direction", direction);
        sms.put("phone_number", phoneNumber);
        sms.put("body", body);
        return sms;
    }
}
