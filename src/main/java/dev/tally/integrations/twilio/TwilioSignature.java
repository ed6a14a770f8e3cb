package dev.tally.integrations.twilio;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's request signature, computed as its SDKs compute it ({@code getExpectedTwilioSignature} of
 * the {@code twilio} npm package): base64 of the HMAC, keyed with the auth token, of the URL Twilio
 * called followed by every POST parameter sorted by name, each name immediately followed by its
 * value; a parameter sent several times contributes each distinct value once, in sorted order.
 * HMAC-SHA1 unless the {@code X-Twilio-Webhooks-Signature-Settings} header names {@code HMAC_SHA256}.
 */
final class TwilioSignature {
    static final String HEADER = "X-Twilio-Signature";
    static final String SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings";

    enum Algorithm {
        HMAC_SHA1("HmacSHA1"),
        HMAC_SHA256("HmacSHA256");

        private final String macName;

        Algorithm(String macName) {
            this.macName = macName;
        }
    }

    private TwilioSignature() {
    }

    /** The algorithm the settings header names ({@code key=…,algorithm=HMAC_SHA256}); SHA-1 without one; empty for one Tally does not know. */
    static Optional<Algorithm> algorithm(String settingsHeader) {
        if (settingsHeader != null) {
            for (String part : settingsHeader.split(",")) {
                int separator = part.indexOf('=');
                if (separator >= 0 && part.substring(0, separator).trim().equals("algorithm")
                        && !part.substring(separator + 1).trim().isEmpty()) {
                    String named = part.substring(separator + 1).trim();
                    for (Algorithm algorithm : Algorithm.values()) {
                        if (algorithm.name().equalsIgnoreCase(named)) {
                            return Optional.of(algorithm);
                        }
                    }
                    return Optional.empty();
                }
            }
        }
        return Optional.of(Algorithm.HMAC_SHA1);
    }

    static String expected(Algorithm algorithm, String authToken, String url, SortedMap<String, List<String>> parameters) {
        StringBuilder data = new StringBuilder(url);
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            for (String value : new TreeSet<>(parameter.getValue())) {
                data.append(parameter.getKey()).append(value);
            }
        }
        try {
            Mac mac = Mac.getInstance(algorithm.macName);
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), algorithm.macName));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException unavailable) {
            throw new IllegalStateException("the JDK has no " + algorithm.macName, unavailable);
        }
    }

    /** True when {@code given} is the signature of one of the candidate URLs; every candidate is compared in constant time. */
    static boolean verifies(String given, Algorithm algorithm, String authToken, List<String> urls,
                            SortedMap<String, List<String>> parameters) {
        byte[] givenBytes = given.getBytes(StandardCharsets.UTF_8);
        boolean matched = false;
        for (String url : urls) {
            byte[] expected = expected(algorithm, authToken, url, parameters).getBytes(StandardCharsets.UTF_8);
            matched |= MessageDigest.isEqual(expected, givenBytes);
        }
        return matched;
    }
}
