package dev.tally.store.callcost;

import java.util.Arrays;

/** Nano-dollars per {@link CostComponent}: exact integers, added up with overflow checks. */
public final class ComponentNanos {
    private final long[] nanos = new long[CostComponent.values().length];

    public long get(CostComponent component) {
        return nanos[component.ordinal()];
    }

    public ComponentNanos set(CostComponent component, long value) {
        nanos[component.ordinal()] = value;
        return this;
    }

    public ComponentNanos add(CostComponent component, long value) {
        nanos[component.ordinal()] = Math.addExact(nanos[component.ordinal()], value);
        return this;
    }

    public ComponentNanos add(ComponentNanos other) {
        for (int index = 0; index < nanos.length; index++) {
            nanos[index] = Math.addExact(nanos[index], other.nanos[index]);
        }
        return this;
    }

    /** The sum of every part: the call's cost, never including a reported total. */
    public long total() {
        long total = 0;
        for (long value : nanos) {
            total = Math.addExact(total, value);
        }
        return total;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ComponentNanos that && Arrays.equals(nanos, that.nanos);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(nanos);
    }

    @Override
    public String toString() {
        return Arrays.toString(nanos);
    }
}
