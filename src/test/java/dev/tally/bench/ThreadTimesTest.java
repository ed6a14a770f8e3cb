package dev.tally.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadTimesTest {
    @Test
    void aPoolsThreadsCountUnderOneName() {
        assertThat(ThreadTimes.group("qtp1894788146-34")).isEqualTo("qtp");
        assertThat(ThreadTimes.group("JettyServerThreadPool-12")).isEqualTo("JettyServerThreadPool");
        assertThat(ThreadTimes.group("tally-writer")).isEqualTo("tally-writer");
        assertThat(ThreadTimes.group("C2 CompilerThre")).isEqualTo("C2 CompilerThre");
        assertThat(ThreadTimes.group("42")).isEqualTo("42");
    }

    @Test
    void theTimeAThreadSpendsBusyIsCountedUnderItsName() throws Exception {
        long pid = ProcessHandle.current().pid();
        ThreadTimes before = ThreadTimes.read(pid);
        Thread busy = new Thread(() -> {
            long until = System.nanoTime() + 400_000_000L;
            long spin = 0;
            while (System.nanoTime() < until) {
                spin++;
            }
            assertThat(spin).isPositive();
        }, "busy-probe-3");
        busy.start();
        // read while it still runs: an ended thread's time leaves /proc with it
        Thread.sleep(300);
        Map<String, Object> used = ThreadTimes.read(pid).since(before);
        busy.join();
        assertThat((Double) used.get("busy-probe")).isGreaterThanOrEqualTo(0.1);
        assertThat((Double) used.get("total")).isGreaterThanOrEqualTo((Double) used.get("busy-probe"));
    }
}
