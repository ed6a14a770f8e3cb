package dev.tally.lifecycle.erasure;

import dev.tally.tenant.ErasureSubject;

/** What an erasure asks of live state (calls holding slots, ended calls remembered); the app wires it to the live domain. */
public interface LiveErasure {

    /** Whether the tenant has a call of this id in progress: erasing it would split it from the end still to come. */
    boolean holdsCall(String tenantId, String callId);

    /** Replaces the identifier in live state; returns how many live or remembered calls held it. */
    long erase(String tenantId, ErasureSubject subject, String identifier, String pseudonym);
}
