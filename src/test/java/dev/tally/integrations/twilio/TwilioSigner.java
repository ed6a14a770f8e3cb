package dev.tally.integrations.twilio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Signs a form body as Twilio does, for tests that play Twilio (here and in the fuzz corpus).
 * {@link TwilioSignatureTest} holds the signature equal to the one Twilio's own SDK computes.
 */
public final class TwilioSigner {
    private TwilioSigner() {
    }

    /** {@code X-Twilio-Signature} of a callback with this form body to this full URL (query included). */
    public static String sign(String authToken, String url, String formBody) {
        return TwilioSignature.expected(TwilioSignature.Algorithm.HMAC_SHA1, authToken, url,
                TwilioForm.parse(formBody.getBytes(StandardCharsets.UTF_8)).parameters());
    }

    /** A fixture form body under {@code dev/tally/integrations/twilio}. */
    public static String fixture(String name) {
        try (InputStream input = TwilioSigner.class.getResourceAsStream(name)) {
            return new String(input.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }
}
