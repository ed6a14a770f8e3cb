package dev.tally.store;

import dev.tally.tenant.ErasureSubject;

/** A subject erased in a store: the pseudonym that stands for it from then on. */
public record ErasedSubject(String tenantId, ErasureSubject subject, String pseudonym) {
}
