package dev.tally.access;

import dev.tally.auth.KeySecrets;
import dev.tally.auth.Principal;
import dev.tally.auth.Scope;
import dev.tally.error.Rejection;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Authenticates requests: Bearer keys for Tally's and most mirrored APIs, HTTP Basic with the key
 * as password for the call statistics API, and the admin token for operator endpoints.
 * Missing, unknown, revoked or expired credentials are 401; a valid key without the scope is 403.
 */
public final class RequestAuth {
    public static final String ADMIN_HEADER = "X-Admin-Token";

    private final KeyService keys;
    private final String adminToken;

    public RequestAuth(KeyService keys, String adminToken) {
        this.keys = keys;
        this.adminToken = adminToken;
    }

    public Principal bearer(Context context, Scope required) {
        Principal principal = bearer(context);
        requireScope(principal, required);
        return principal;
    }

    /** Any live key; the caller decides what it may see (member usage depends on whose report). */
    public Principal bearer(Context context) {
        String header = context.header("Authorization");
        if (header == null || header.isBlank()) {
            throw Rejection.unauthenticated("missing API key: send Authorization: Bearer <key>");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw Rejection.unauthenticated("the Authorization header must be Bearer <key>");
        }
        return principalFor(header.substring(7).trim());
    }

    /** HTTP Basic with the API key as the password (the user name is ignored, as in spec 003). */
    public Principal basic(Context context, Scope required) {
        Principal principal = basic(context);
        requireScope(principal, required);
        return principal;
    }

    /** The key of HTTP Basic (the key as password) or Bearer credentials; the caller checks its scopes. */
    public Principal basic(Context context) {
        String header = context.header("Authorization");
        if (header == null || header.isBlank()) {
            throw Rejection.unauthenticated("missing credentials: send HTTP Basic auth with the API key as password");
        }
        String secret;
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notBase64) {
                throw Rejection.unauthenticated("the Basic credentials are not base64");
            }
            int colon = decoded.indexOf(':');
            secret = colon < 0 ? decoded : decoded.substring(colon + 1);
        } else if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            secret = header.substring(7).trim();
        } else {
            throw Rejection.unauthenticated("the Authorization header must be Basic or Bearer");
        }
        return principalFor(secret);
    }

    /**
     * The key a request bears, Bearer or Basic, without answering for it: empty when there is none
     * or it is not valid (the route refuses it then). For the limits, which run before the route.
     */
    public java.util.Optional<Principal> peek(Context context) {
        try {
            return java.util.Optional.of(basic(context));
        } catch (Rejection notValid) {
            return java.util.Optional.empty();
        }
    }

    private Principal principalFor(String secret) {
        if (secret.isEmpty()) {
            throw Rejection.unauthenticated("missing API key");
        }
        return keys.authenticate(secret).map(Principal::new)
                .orElseThrow(() -> Rejection.unauthenticated("invalid API key: unknown, revoked or expired"));
    }

    public static void requireScope(Principal principal, Scope required) {
        if (!principal.has(required)) {
            throw Rejection.forbidden("the API key lacks the scope " + required.wireName());
        }
    }

    public void admin(Context context) {
        String given = context.header(ADMIN_HEADER);
        if (given == null || given.isBlank()) {
            throw Rejection.unauthenticated("missing admin token: send " + ADMIN_HEADER);
        }
        if (!KeySecrets.constantTimeEquals(adminToken, given)) {
            throw Rejection.unauthenticated("invalid admin token");
        }
    }
}
