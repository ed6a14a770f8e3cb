package dev.tally.ingest.dedup;

/**
 * An open-addressing set of longs: eight bytes an id instead of the fifty a {@code HashSet<Long>}
 * costs, which is what lets a store keep every stored id's fingerprint in memory at 100M events.
 * Not thread-safe; the single writer thread owns it.
 */
public final class LongHashSet {
    private static final long EMPTY = 0L;
    /** Zero marks an empty slot, so the value zero is remembered by a flag instead. */
    private boolean containsZero;
    private long[] slots;
    private int size;

    public LongHashSet(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        slots = new long[capacity];
    }

    public boolean contains(long value) {
        if (value == EMPTY) {
            return containsZero;
        }
        int mask = slots.length - 1;
        for (int index = spread(value) & mask; ; index = (index + 1) & mask) {
            long slot = slots[index];
            if (slot == EMPTY) {
                return false;
            }
            if (slot == value) {
                return true;
            }
        }
    }

    /** Adds the value; returns false when it was already there. */
    public boolean add(long value) {
        if (value == EMPTY) {
            boolean added = !containsZero;
            containsZero = true;
            size += added ? 1 : 0;
            return added;
        }
        if ((size + 1) * 2L > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int index = spread(value) & mask; ; index = (index + 1) & mask) {
            long slot = slots[index];
            if (slot == EMPTY) {
                slots[index] = value;
                size++;
                return true;
            }
            if (slot == value) {
                return false;
            }
        }
    }

    public int size() {
        return size;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        size = containsZero ? 1 : 0;
        for (long value : old) {
            if (value != EMPTY) {
                add(value);
            }
        }
    }

    private static int spread(long value) {
        return (int) (value ^ (value >>> 32));
    }
}
