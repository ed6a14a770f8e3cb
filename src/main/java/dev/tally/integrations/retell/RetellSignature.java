package dev.tally.integrations.retell;

import dev.tally.error.Rejection;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Retell's {@code x-retell-signature}, checked as the {@code verify} of Retell's SDK checks it:
 * {@code v=<timestamp in ms>,d=<hex HMAC-SHA256>}, the HMAC keyed with the tenant's Retell API key
 * over the raw body followed by the timestamp's decimal digits, and the timestamp within five
 * minutes of now either way.
 */
final class RetellSignature {
    static final String HEADER = "x-retell-signature";
    static final long WINDOW_MS = 5 * 60 * 1000;
    /** The SDK reads the timestamp as a JavaScript number and refuses one beyond its exact integers. */
    private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
    private static final int DIGEST_HEX_LENGTH = 64;
    private static final Pattern FORMAT = Pattern.compile("v=([0-9]+),d=([0-9a-f]+)", Pattern.CASE_INSENSITIVE);

    private final long timestampMs;
    private final byte[] digest;

    private RetellSignature(long timestampMs, byte[] digest) {
        this.timestampMs = timestampMs;
        this.digest = digest;
    }

    /** The header read, or a 401 saying what is wrong with it: nothing here depends on the tenant. */
    static RetellSignature parse(String header, long nowMs) {
        if (header == null || header.isEmpty()) {
            throw Rejection.unauthenticated("send " + HEADER + " as Retell signs its webhooks");
        }
        Matcher match = FORMAT.matcher(header);
        Optional<Long> timestamp = match.matches() ? timestamp(match.group(1)) : Optional.empty();
        if (timestamp.isEmpty() || match.group(2).length() != DIGEST_HEX_LENGTH) {
            throw Rejection.unauthenticated(HEADER + " must be v=<timestamp in ms>,d=<64 hex digits>");
        }
        if (Math.abs(nowMs - timestamp.get()) > WINDOW_MS) {
            throw Rejection.unauthenticated(HEADER + " is older or newer than five minutes");
        }
        return new RetellSignature(timestamp.get(), HexFormat.of().parseHex(match.group(2)));
    }

    private static Optional<Long> timestamp(String digits) {
        // more digits than a safe integer has can only be a number beyond it (leading zeros aside)
        String significant = digits.replaceFirst("^0+(?=.)", "");
        if (significant.length() > 16) {
            return Optional.empty();
        }
        long value = Long.parseLong(significant);
        return value > MAX_SAFE_INTEGER ? Optional.empty() : Optional.of(value);
    }

    /** True when the HMAC is the one the key gives for this body: compared in constant time. */
    boolean matches(byte[] body, String key) {
        return MessageDigest.isEqual(digest, hmac(key, body, timestampMs));
    }

    /**
     * The digest Retell sends: the SDK signs the body's text followed by the timestamp as a number
     * prints it, so leading zeros of the header's timestamp are not signed.
     */
    static byte[] hmac(String key, byte[] body, long timestampMs) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(body);
            return mac.doFinal(Long.toString(timestampMs).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException unavailable) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", unavailable);
        }
    }
}
