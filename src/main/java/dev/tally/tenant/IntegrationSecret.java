package dev.tally.tenant;

/**
 * What a tenant's provider signs or authenticates its webhooks with: Vapi's server secret, Retell's
 * API key, Twilio's auth token. Kept as given because checking an HMAC signature needs the key
 * itself, not a hash of it.
 *
 * @param setMs when the secret was last set
 */
public record IntegrationSecret(String tenantId, IntegrationProvider provider, String secret, long setMs) {

    @Override
    public String toString() {
        // never in a log line or an assertion message
        return "IntegrationSecret[" + tenantId + ", " + provider.wireName() + ", set at " + setMs + "]";
    }
}
