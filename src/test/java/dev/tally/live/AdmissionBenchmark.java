package dev.tally.live;

import dev.tally.testing.RedisServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission decisions per second and their p99 latency, in process and with Redis (a redis-server
 * this program starts, or TALLY_REDIS_URL). It measures the decision itself (dedup, capacity check,
 * slot) through {@link LiveState}, without HTTP and the event store; half the calls are admitted and
 * half rejected for capacity.
 *
 * <p>Run: {@code mvn -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java
 * -Dexec.mainClass=dev.tally.live.AdmissionBenchmark -Dexec.classpathScope=test}
 */
public final class AdmissionBenchmark {
    private static final int THREADS = 16;

    private AdmissionBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        int calls = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 100_000;
        run("in-process", new InProcessLiveState(86_400_000L), calls);
        String url = System.getenv("TALLY_REDIS_URL");
        if (url != null) {
            run("redis " + url, new RedisLiveState(url, 86_400_000L), calls);
            return;
        }
        try (RedisServer redis = RedisServer.start()) {
            run("redis (local redis-server)", new RedisLiveState(redis.url(), 86_400_000L), calls);
        }
    }

    private static void run(String label, LiveState state, int calls) throws Exception {
        try (state) {
            // warm up on the rejecting path so no slot is held when the measured run starts
            measure(state, "warmup-", Math.min(calls, 10_000), 0);
            long[] nanos = new long[calls];
            long started = System.nanoTime();
            int accepted = measure(state, "run-", calls, calls / 2, nanos);
            double seconds = (System.nanoTime() - started) / 1e9;
            Arrays.sort(nanos);
            System.out.printf("%-28s %,9d decisions in %.2f s = %,10.0f decisions/s, p50 %.3f ms, p99 %.3f ms"
                            + " (%d threads, %,d admitted)%n", label, calls, seconds, calls / seconds,
                    nanos[calls / 2] / 1e6, nanos[(int) (calls * 0.99)] / 1e6, THREADS, accepted);
        }
    }

    private static void measure(LiveState state, String prefix, int calls, int limit) throws Exception {
        measure(state, prefix, calls, limit, new long[calls]);
    }

    private static int measure(LiveState state, String prefix, int calls, int limit, long[] nanos) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int thread = 0; thread < THREADS; thread++) {
            workers.add(pool.submit(() -> {
                go.await();
                for (int call = next.getAndIncrement(); call < calls; call = next.getAndIncrement()) {
                    String tenant = "tenant-" + (call % 8);
                    CallSession session = new CallSession(tenant, prefix + call, System.currentTimeMillis(), null,
                            null, "inbound", null, "tenant");
                    long before = System.nanoTime();
                    AdmitResult result = state.admit(new Admission(session, prefix + call, limit, null, null, false,
                            false, "{\"decision\":\"accepted\"}"));
                    nanos[call] = System.nanoTime() - before;
                    if (result.accepted()) {
                        accepted.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        return accepted.get();
    }
}
