package dev.tally.sms;

import java.util.Optional;

/** The two SMS encodings of the ingest contract; the wire names are {@code gsm7} and {@code ucs2}. */
public enum SmsEncoding {
    GSM7("gsm7"),
    UCS2("ucs2");

    private final String wireName;

    SmsEncoding(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The encoding with exactly this wire name, or empty for anything else (including {@code null}). */
    public static Optional<SmsEncoding> fromWire(String s) {
        for (SmsEncoding encoding : values()) {
            if (encoding.wireName.equals(s)) {
                return Optional.of(encoding);
            }
        }
        return Optional.empty();
    }
}
