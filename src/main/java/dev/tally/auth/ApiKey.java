package dev.tally.auth;

import java.util.Set;

/**
 * A stored API key. Only the SHA-256 of the secret is kept; the secret itself is shown once,
 * when the key is created.
 *
 * @param tenantId {@code null} for a platform key, which names the tenant per request or event
 * @param memberId the workspace member the key acts as, for "your own" member usage
 * @param prefix the first characters of the secret, so people can tell keys apart in a list
 * @param revokedMs {@code null} while the key is live
 */
public record ApiKey(String id, String tenantId, String name, Set<Scope> scopes, String secretHash, String prefix,
                     String memberId, long createdMs, long expiresMs, Long revokedMs) {

    public boolean isPlatformKey() {
        return tenantId == null;
    }

    public boolean isUsableAt(long nowMs) {
        return revokedMs == null && nowMs < expiresMs;
    }
}
