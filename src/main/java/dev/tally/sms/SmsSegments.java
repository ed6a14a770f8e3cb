package dev.tally.sms;

import java.util.BitSet;
import java.util.Objects;

/** Carrier segment counting for SMS, by the rules of the ingest contract. */
public final class SmsSegments {

    private static final int GSM7_SINGLE = 160;
    private static final int GSM7_PER_PART = 153;
    private static final int UCS2_SINGLE = 70;
    private static final int UCS2_PER_PART = 67;

    /*
     * The GSM 03.38 default alphabet laid out by septet value, 16 per row, so it can be checked
     * line by line against the standard. Position 0x1B is the escape to the extension table, not
     * a character a user can type; the NUL placeholder there is skipped when building the set.
     */
    private static final String BASIC_TABLE =
            "@£$¥èéùìòÇ\nØø\rÅå"
          + "Δ_ΦΓΛΩΠΨΣΘΞ\u0000ÆæßÉ"
          + " !\"#¤%&'()*+,-./"
          + "0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNO"
          + "PQRSTUVWXYZÄÖÑÜ§"
          + "¿abcdefghijklmno"
          + "pqrstuvwxyzäöñüà";

    /** Reached through the escape septet, so each costs two septets. */
    private static final String EXTENSION_TABLE = "\f^{}\\[~]|€";

    private static final BitSet BASIC = new BitSet();
    private static final BitSet EXTENSION = new BitSet();

    static {
        if (BASIC_TABLE.length() != 128) {
            throw new AssertionError("GSM 03.38 table must have 128 septets, has " + BASIC_TABLE.length());
        }
        for (int i = 0; i < BASIC_TABLE.length(); i++) {
            if (i != 0x1B) {
                BASIC.set(BASIC_TABLE.charAt(i));
            }
        }
        EXTENSION_TABLE.chars().forEach(EXTENSION::set);
    }

    private SmsSegments() {}

    /** Counts a message body exactly by the contract's rules. */
    public static SmsCount count(String body) {
        Objects.requireNonNull(body, "body");
        long characters = body.codePointCount(0, body.length());
        SmsEncoding encoding = isGsm7(body) ? SmsEncoding.GSM7 : SmsEncoding.UCS2;
        return new SmsCount(encoding, characters, segments(body, encoding));
    }

    /** When the body is not sent: {@code characters} are encoding units (GSM-7 septets, UCS-2 code units). */
    public static SmsCount fromCharacters(long characters, SmsEncoding encoding) {
        Objects.requireNonNull(encoding, "encoding");
        if (characters < 0) {
            throw new IllegalArgumentException("characters must not be negative: " + characters);
        }
        // (n - 1) / k + 1 rather than (n + k - 1) / k: the latter overflows near Long.MAX_VALUE.
        long segments = characters <= single(encoding) ? 1 : (characters - 1) / perPart(encoding) + 1;
        if (segments > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("characters too large to count segments: " + characters);
        }
        return new SmsCount(encoding, characters, (int) segments);
    }

    private static boolean isGsm7(String body) {
        // Surrogates are never in either table, so checking UTF-16 units one by one is exact.
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (!BASIC.get(c) && !EXTENSION.get(c)) {
                return false;
            }
        }
        return true;
    }

    private static int segments(String body, SmsEncoding encoding) {
        int[] widths = body.codePoints().map(cp -> width(cp, encoding)).toArray();
        long total = 0;
        for (int width : widths) {
            total += width;
        }
        if (total <= single(encoding)) {
            return 1;
        }
        // Carriers never split an escape pair or a surrogate pair, so a two-unit character that
        // does not fit the space left in a part opens the next part and that space is lost.
        int perPart = perPart(encoding);
        int segments = 1;
        int used = 0;
        for (int width : widths) {
            if (used + width > perPart) {
                segments++;
                used = 0;
            }
            used += width;
        }
        return segments;
    }

    /** Encoding units of one code point: septets for GSM-7, UTF-16 code units for UCS-2. */
    private static int width(int codePoint, SmsEncoding encoding) {
        if (encoding == SmsEncoding.GSM7) {
            return EXTENSION.get(codePoint) ? 2 : 1;
        }
        // A lone surrogate comes through codePoints() as itself: malformed, but one unit on the wire.
        return Character.charCount(codePoint);
    }

    private static int single(SmsEncoding encoding) {
        return encoding == SmsEncoding.GSM7 ? GSM7_SINGLE : UCS2_SINGLE;
    }

    private static int perPart(SmsEncoding encoding) {
        return encoding == SmsEncoding.GSM7 ? GSM7_PER_PART : UCS2_PER_PART;
    }
}
