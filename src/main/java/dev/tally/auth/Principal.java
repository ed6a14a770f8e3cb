package dev.tally.auth;

/**
 * Who is calling: the key that authenticated the request. The tenant always comes from here, never
 * from a request body or path, so no request can read or write another tenant's data.
 */
public record Principal(ApiKey key) {

    public String tenantId() {
        return key.tenantId();
    }

    public boolean has(Scope scope) {
        return key.scopes().contains(scope);
    }
}
