package dev.tally.fairness;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Reports run a few at a time, and when more wait, the tenants take turns: the next place goes
 * to the tenant that waited longest for its turn, not to the request that waited longest. A tenant
 * with thirty reports waiting then delays another tenant's report by one report, not thirty. The
 * limits in flight bound how many threads a tenant's waiting requests hold.
 */
final class FairShare {
    private final int places;
    private int taken;
    /** The tenants with requests waiting, in the order of their turns; a tenant served goes to the back. */
    private final Map<String, ArrayDeque<CountDownLatch>> waiting = new LinkedHashMap<>();

    /** @param places how many requests run at once */
    FairShare(int places) {
        this.places = places;
    }

    /** Waits for the tenant's turn; the returned action gives the place back, once. */
    Runnable enter(String tenant) throws InterruptedException {
        CountDownLatch turn = new CountDownLatch(1);
        synchronized (this) {
            if (taken < places && waiting.isEmpty()) {
                taken++;
                return this::leave;
            }
            waiting.computeIfAbsent(tenant, ignored -> new ArrayDeque<>()).add(turn);
        }
        try {
            turn.await();
        } catch (InterruptedException interrupted) {
            synchronized (this) {
                ArrayDeque<CountDownLatch> queue = waiting.get(tenant);
                if (queue != null && queue.remove(turn)) {
                    if (queue.isEmpty()) {
                        waiting.remove(tenant);
                    }
                    throw interrupted;
                }
            }
            leave(); // the place was handed over as the wait ended: give it on
            throw interrupted;
        }
        return this::leave;
    }

    private void leave() {
        CountDownLatch next;
        synchronized (this) {
            Iterator<Map.Entry<String, ArrayDeque<CountDownLatch>>> turns = waiting.entrySet().iterator();
            if (!turns.hasNext()) {
                taken--;
                return;
            }
            Map.Entry<String, ArrayDeque<CountDownLatch>> first = turns.next();
            next = first.getValue().poll();
            turns.remove();
            if (!first.getValue().isEmpty()) {
                waiting.put(first.getKey(), first.getValue());
            }
        }
        next.countDown(); // the place passes straight to the next turn: taken stays
    }

    /** Requests waiting for a place, every tenant's. */
    synchronized int waiting() {
        return waiting.values().stream().mapToInt(ArrayDeque::size).sum();
    }
}
