package dev.tally.store.duckdb;

import dev.tally.ingest.dedup.IdFingerprint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every stored chat's owner, by (tenant, chat id), held in memory so the writer can credit a
 * message to its chat's owner without a query.
 *
 * <p>A chat is keyed by 128 bits: the {@link IdFingerprint} that is already its {@code id_hash}, and
 * a second, independently computed 64-bit hash. A match is acted on without being confirmed against
 * the stored id (that confirmation would be a query per batch, the cost this map exists to avoid);
 * with 128 bits the chance that any two of a billion chat ids collide is below 10⁻²⁰, far under
 * the rate of undetected memory or disk errors. Members are interned, so an entry is 20 bytes
 * whatever the ids' lengths. Not thread-safe: the single writer thread owns it.
 */
final class ChatOwners {
    private static final int EMPTY = 0;
    /** A chat that names no member: known, so its messages are not waiting for it, but credited to no one. */
    private static final int NO_OWNER = 1;

    private long[] fingerprints;
    private long[] checks;
    /** 0 empty slot, 1 no owner, else 2 + the member's index in {@link #members}. */
    private int[] owners;
    private int size;
    private final List<String> members = new ArrayList<>();
    private final Map<String, Integer> memberIndex = new HashMap<>();

    ChatOwners(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        fingerprints = new long[capacity];
        checks = new long[capacity];
        owners = new int[capacity];
    }

    /** The second hash: polynomial over the characters with other constants, and MurmurHash3's finaliser. */
    static long check(String tenantId, String chatId) {
        long hash = 0x243f6a8885a308d3L;
        hash = mix(hash, tenantId);
        hash = hash * 0x9e3779b97f4a7c15L + 0x1f;
        hash = mix(hash, chatId);
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        return hash ^ (hash >>> 33);
    }

    private static long mix(long hash, String text) {
        for (int index = 0; index < text.length(); index++) {
            hash = hash * 0x100000001b3L * 31 + text.charAt(index) + 1;
        }
        return hash * 0x9e3779b97f4a7c15L + text.length();
    }

    /** Whether the chat is stored, with or without an owner. */
    boolean known(long fingerprint, long check) {
        return owners[slot(fingerprint, check)] != EMPTY;
    }

    /** The chat's owner; null for a chat naming no member and for an unknown chat (see {@link #known}). */
    String owner(long fingerprint, long check) {
        int owner = owners[slot(fingerprint, check)];
        return owner < 2 ? null : members.get(owner - 2);
    }

    void put(long fingerprint, long check, String owner) {
        if ((size + 1) * 2L > owners.length) {
            grow();
        }
        int slot = slot(fingerprint, check);
        if (owners[slot] == EMPTY) {
            size++;
        }
        fingerprints[slot] = fingerprint;
        checks[slot] = check;
        owners[slot] = owner == null ? NO_OWNER : 2 + memberIndex.computeIfAbsent(owner, member -> {
            members.add(member);
            return members.size() - 1;
        });
    }

    int size() {
        return size;
    }

    /** The slot holding the key, or the empty slot where it would go. */
    private int slot(long fingerprint, long check) {
        int mask = owners.length - 1;
        for (int index = (int) (fingerprint ^ (fingerprint >>> 32)) & mask; ; index = (index + 1) & mask) {
            if (owners[index] == EMPTY || (fingerprints[index] == fingerprint && checks[index] == check)) {
                return index;
            }
        }
    }

    private void grow() {
        long[] oldFingerprints = fingerprints;
        long[] oldChecks = checks;
        int[] oldOwners = owners;
        fingerprints = new long[oldOwners.length * 2];
        checks = new long[oldOwners.length * 2];
        owners = new int[oldOwners.length * 2];
        for (int index = 0; index < oldOwners.length; index++) {
            if (oldOwners[index] != EMPTY) {
                int slot = slot(oldFingerprints[index], oldChecks[index]);
                fingerprints[slot] = oldFingerprints[index];
                checks[slot] = oldChecks[index];
                owners[slot] = oldOwners[index];
            }
        }
    }
}
