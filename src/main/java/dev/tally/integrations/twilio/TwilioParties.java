package dev.tally.integrations.twilio;

import java.util.Locale;
import java.util.regex.Pattern;

/** Who a message or call went between: Twilio's {@code Direction}, {@code From} and {@code To}. */
final class TwilioParties {
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

    private TwilioParties() {
    }

    /** {@code inbound}, or {@code outbound} for any of Twilio's {@code outbound-api}, {@code outbound-dial}, …; null for anything else. */
    static String direction(String twilioDirection) {
        if (twilioDirection == null) {
            return null;
        }
        String direction = twilioDirection.toLowerCase(Locale.ROOT);
        if (direction.equals("inbound")) {
            return "inbound";
        }
        return direction.startsWith("outbound") ? "outbound" : null;
    }

    /** The parameter holding the workspace's own number: {@code To} of an inbound message or call, {@code From} of an outbound one. */
    static String workspaceNumberParameter(String direction) {
        return "inbound".equals(direction) ? "To" : "From";
    }

    /**
     * The workspace's number as E.164, or null when it is none (a client or SIP address, an
     * alphanumeric sender): a channel's prefix ({@code whatsapp:+14155550100}) is dropped. The other
     * party's number is not stored: billing needs only the workspace's.
     */
    static String e164(String address) {
        if (address == null) {
            return null;
        }
        String number = address.substring(address.indexOf(':') + 1).trim();
        return E164.matcher(number).matches() ? number : null;
    }
}
