package dev.tally.demo;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Identifiers of the demo's agents and members, derived from names rather than drawn at random, so
 * every load of the demo (and the README that quotes them) names the same ones.
 */
final class DemoIds {
    private static final String NAMESPACE = "tally-demo:";

    private DemoIds() {
    }

    static String agent(String tenantId, String slug) {
        return uuid(tenantId + ":agent:" + slug).toString();
    }

    static String member(String tenantId, String handle) {
        return "mem_" + uuid(tenantId + ":member:" + handle).toString().replace("-", "").substring(0, 16);
    }

    private static UUID uuid(String name) {
        return UUID.nameUUIDFromBytes((NAMESPACE + name).getBytes(StandardCharsets.UTF_8));
    }
}
