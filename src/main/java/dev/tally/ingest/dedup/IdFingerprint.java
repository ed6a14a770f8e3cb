package dev.tally.ingest.dedup;

/**
 * A 64-bit fingerprint of (tenant, event id). Stores keep it beside the id so that the set of
 * stored ids can be loaded into memory as plain longs at start; a fingerprint match is only a
 * candidate duplicate and is always confirmed against the real ids, so collisions cost a lookup,
 * never a lost event.
 */
public final class IdFingerprint {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private IdFingerprint() {
    }

    public static long of(String tenantId, String id) {
        long hash = FNV_OFFSET;
        hash = mix(hash, tenantId);
        hash = (hash ^ 0xFFFF) * FNV_PRIME;
        hash = mix(hash, id);
        return finish(hash);
    }

    private static long mix(long hash, String text) {
        for (int index = 0; index < text.length(); index++) {
            hash = (hash ^ text.charAt(index)) * FNV_PRIME;
        }
        return hash;
    }

    /** SplitMix64's finaliser spreads FNV's weak low bits, which the hash set indexes by. */
    private static long finish(long hash) {
        hash = (hash ^ (hash >>> 30)) * 0xbf58476d1ce4e5b9L;
        hash = (hash ^ (hash >>> 27)) * 0x94d049bb133111ebL;
        return hash ^ (hash >>> 31);
    }
}
