package dev.tally.integrations.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The signature against values computed with Twilio's own SDK ({@code getExpectedTwilioSignature} of
 * the {@code twilio} npm package, 6.3.1), and the URLs a request may have been signed over.
 */
class TwilioSignatureTest {
    private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";

    @Test
    void isTheSignatureTwiliosSdkComputes() {
        SortedMap<String, List<String>> parameters = new TreeMap<>();
        parameters.put("CallSid", List.of("CA1234567890ABCDE"));
        parameters.put("Caller", List.of("+14158675309"));
        parameters.put("Digits", List.of("1234"));
        parameters.put("From", List.of("+14158675309"));
        parameters.put("To", List.of("+18005551212"));

        assertThat(TwilioSignature.expected(TwilioSignature.Algorithm.HMAC_SHA1, "12345", URL, parameters))
                .isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assertThat(TwilioSignature.expected(TwilioSignature.Algorithm.HMAC_SHA256, "12345", URL, parameters))
                .isEqualTo("033hgUJA9M/hXIZsYjwkerEP/DBm35nEri5FhCYjA5s=");
    }

    @Test
    void aRepeatedParameterCountsEachDistinctValueOnceInSortedOrderAndTextIsUtf8() {
        SortedMap<String, List<String>> parameters = new TreeMap<>();
        parameters.put("MessageSid", List.of("SM1"));
        parameters.put("To", List.of("+2", "+1", "+2"));
        parameters.put("Body", List.of("héllo wörld 😀"));

        assertThat(TwilioSignature.expected(TwilioSignature.Algorithm.HMAC_SHA1, "12345", URL, parameters))
                .isEqualTo("Y7iEWlImpZyTKE04F3cd8unOvzA=");
    }

    @Test
    void theSettingsHeaderChoosesTheAlgorithm() {
        assertThat(TwilioSignature.algorithm(null)).contains(TwilioSignature.Algorithm.HMAC_SHA1);
        assertThat(TwilioSignature.algorithm("key=webhooks_sharedkey_1,algorithm=HMAC_SHA256"))
                .contains(TwilioSignature.Algorithm.HMAC_SHA256);
        assertThat(TwilioSignature.algorithm("key=webhooks_sharedkey_1")).contains(TwilioSignature.Algorithm.HMAC_SHA1);
        assertThat(TwilioSignature.algorithm("algorithm=HMAC_MD5")).isEmpty();
    }

    @Test
    void aUrlIsTriedWithoutItsPortAndWithTheSchemesDefaultPort() {
        assertThat(TwilioRequestUrl.withoutPort("https://tally.example.com:443/v1/x?a=1"))
                .isEqualTo("https://tally.example.com/v1/x?a=1");
        assertThat(TwilioRequestUrl.withDefaultPort("https://tally.example.com/v1/x?a=1"))
                .isEqualTo("https://tally.example.com:443/v1/x?a=1");
        assertThat(TwilioRequestUrl.withDefaultPort("http://127.0.0.1:8080/v1")).isEqualTo("http://127.0.0.1:8080/v1");
        assertThat(TwilioRequestUrl.withoutPort("http://[::1]:8080/v1")).isEqualTo("http://[::1]/v1");
        assertThat(TwilioRequestUrl.withDefaultPort("http://[::1]/v1")).isEqualTo("http://[::1]:80/v1");
    }

    @Test
    void thePublicUrlMustBeAnHttpUrlAndLosesItsTrailingSlash() {
        assertThat(TwilioRequestUrl.publicBase("https://tally.example.com/")).isEqualTo("https://tally.example.com");
        assertThat(TwilioRequestUrl.publicBase("https://example.com/tally")).isEqualTo("https://example.com/tally");
        assertThat(TwilioRequestUrl.publicBase(null)).isNull();
        for (String wrong : List.of("tally.example.com", "ftp://example.com", "https://example.com/?a=1", "https://",
                "http://user@example.com")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TwilioRequestUrl.publicBase(wrong))
                    .as(wrong).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
