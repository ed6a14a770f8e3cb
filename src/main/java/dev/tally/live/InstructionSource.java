package dev.tally.live;

import dev.tally.access.TenantService;

/**
 * Where admission reads a tenant's call settings. An interface so the failure path (the settings
 * store not answering, answered with the fallback instructions) can be tested with a hand-written
 * failing source.
 */
@FunctionalInterface
public interface InstructionSource {

    /** The tenant's settings; throws when they cannot be read. */
    CallSettings settings(String tenantId);

    static InstructionSource from(TenantService tenants) {
        return tenantId -> tenants.find(tenantId)
                .map(tenant -> new CallSettings(tenant.maxConcurrentCalls(), tenant.instructions()))
                .orElse(CallSettings.NONE);
    }
}
