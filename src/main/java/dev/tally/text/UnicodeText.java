package dev.tally.text;

/**
 * Whether a text is one Tally stores as sent: valid Unicode (no unpaired surrogate, which DuckDB
 * would store as '?', so that the stored text never equals the one sent again) and no NUL.
 */
public final class UnicodeText {

    private UnicodeText() {
    }

    /**
     * What is wrong with the text, or null when nothing is. {@code identifier}: no control
     * character at all (ids, names, keys); otherwise only NUL is refused (line breaks are text).
     */
    public static String problem(String text, boolean identifier) {
        for (int index = 0; index < text.length(); index++) {
            char character = text.charAt(index);
            if (Character.isHighSurrogate(character)) {
                if (index + 1 < text.length() && Character.isLowSurrogate(text.charAt(index + 1))) {
                    index++;
                    continue;
                }
                return "is not valid Unicode: an unpaired surrogate at character " + index;
            }
            if (Character.isLowSurrogate(character)) {
                return "is not valid Unicode: an unpaired surrogate at character " + index;
            }
            if (character == 0 || identifier && Character.isISOControl(character)) {
                return "must not contain control characters (U+" + String.format("%04X", (int) character)
                        + " at character " + index + ")";
            }
        }
        return null;
    }
}
