package dev.tally.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The peak resident memory of other processes (ClickHouse servers), read from {@code VmHWM} in
 * {@code /proc/<pid>/status} every 200 ms until closed; the kernel keeps the high-water mark, so
 * sampling late misses nothing while the process lives.
 */
final class PeakMemory implements AutoCloseable {
    private final List<Long> pids;
    private final Map<Long, Long> peakKb = new ConcurrentHashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    PeakMemory(List<Long> pids) {
        this.pids = List.copyOf(pids);
        this.sampler = new Thread(this::sample, "peak-memory");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        while (running) {
            pids.forEach(this::read);
            try {
                Thread.sleep(200);
            } catch (InterruptedException stopped) {
                return;
            }
        }
    }

    private void read(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    peakKb.merge(pid, Long.parseLong(line.replaceAll("[^0-9]", "")), Math::max);
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // the process has exited, or this is not Linux: nothing to add
        }
    }

    /** Each process's peak in MiB, in the order given; 0 where nothing could be read. */
    List<Long> peakMib() {
        pids.forEach(this::read);
        return pids.stream().map(pid -> peakKb.getOrDefault(pid, 0L) / 1024).toList();
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
