package dev.tally.fairness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tenants take turns for the places: one tenant's queue delays another's request by one turn, not by the queue. */
class FairShareTest {

    @Test
    void aTenantWithOneRequestWaitsOneTurnBehindAnotherTenantsQueue() throws Exception {
        FairShare share = new FairShare(1);
        Runnable first = share.enter("flood");
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int index = 0; index < 5; index++) {
            threads.add(waitFor(share, "flood", "flood-" + index, order));
            awaitWaiting(share, index + 1);
        }
        threads.add(waitFor(share, "calm", "calm", order));
        awaitWaiting(share, 6);
        first.run();
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        assertThat(order).hasSize(6);
        assertThat(order.indexOf("calm")).as("served after one flood request, not five: " + order).isEqualTo(1);
        assertThat(order.stream().filter(name -> name.startsWith("flood")).toList())
                .as("a tenant's own requests in the order they came")
                .containsExactly("flood-0", "flood-1", "flood-2", "flood-3", "flood-4");
    }

    @Test
    void placesAreTakenAtOnceWhileFreeAndAnInterruptedWaiterLeavesNoPlaceBehind() throws Exception {
        FairShare share = new FairShare(2);
        Runnable first = share.enter("a");
        Runnable second = share.enter("b");
        CountDownLatch gaveUp = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                share.enter("c").run();
            } catch (InterruptedException interrupted) {
                gaveUp.countDown();
            }
        });
        waiter.start();
        awaitWaiting(share, 1);
        waiter.interrupt();
        assertThat(gaveUp.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(share.waiting()).isZero();
        first.run();
        second.run();
        // both places free again: two enter at once, a third waits
        Runnable again = share.enter("a");
        Runnable andAgain = share.enter("b");
        CountDownLatch third = new CountDownLatch(1);
        Thread late = new Thread(() -> {
            try {
                share.enter("c").run();
                third.countDown();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        });
        late.start();
        awaitWaiting(share, 1);
        assertThat(third.getCount()).isEqualTo(1);
        again.run();
        assertThat(third.await(10, TimeUnit.SECONDS)).as("a freed place goes to the waiting request").isTrue();
        andAgain.run();
    }

    private static Thread waitFor(FairShare share, String tenant, String name, List<String> order) {
        Thread thread = new Thread(() -> {
            try {
                Runnable leave = share.enter(tenant);
                order.add(name);
                leave.run();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        });
        thread.start();
        return thread;
    }

    private static void awaitWaiting(FairShare share, int count) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (share.waiting() < count && System.nanoTime() < until) {
            Thread.sleep(1);
        }
        assertThat(share.waiting()).isEqualTo(count);
    }
}
