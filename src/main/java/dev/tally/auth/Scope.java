package dev.tally.auth;

import java.util.Optional;

/** What a key may do. Names are the wire names the report products already use. */
public enum Scope {
    EVENTS_WRITE("events:write"),
    ANALYTICS_READ("analytics:read"),
    MEMBERS_READ("members:read"),
    /** A tenant's own budgets: create, change and delete them. */
    BUDGETS_WRITE("budgets:write"),
    /** A tenant's raw events, exported whole. */
    EXPORT_READ("export:read"),
    /** Platform-wide reading across tenants; only a key without a tenant may hold it. */
    SUPER_ADMIN("super-admin");

    private final String wireName;

    Scope(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Scope> fromWire(String name) {
        for (Scope scope : values()) {
            if (scope.wireName.equals(name)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
