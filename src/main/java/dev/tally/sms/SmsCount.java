package dev.tally.sms;

/**
 * What a message costs in carrier terms.
 *
 * @param encoding   the encoding the whole message is sent in
 * @param characters user-visible characters (code points) when counted from a body; the given
 *                   encoding units when built by {@link SmsSegments#fromCharacters}
 * @param segments   carrier segments billed, at least 1
 */
public record SmsCount(SmsEncoding encoding, long characters, int segments) {}
