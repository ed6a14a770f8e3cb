package dev.tally.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU time each thread of a process used between two readings of {@code /proc/<pid>/task},
 * summed by thread name with pool numbers removed ({@code qtp12-34} and {@code qtp12-35} count as
 * one). It says where an ingest's time goes on this machine's two cores: request threads, the
 * writer, DuckDB's own threads, the bench's client. Empty where {@code /proc} is not there.
 */
final class ThreadTimes {
    /** Linux reports thread times in clock ticks of 1/100 s on every architecture Java runs on here. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<Long, Thread> threads;

    private record Thread(String name, long ticks) {
    }

    private ThreadTimes(Map<Long, Thread> threads) {
        this.threads = threads;
    }

    static ThreadTimes read(long pid) {
        Map<Long, Thread> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // the name sits in parentheses and may hold spaces; the times follow it
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // after the name: state is field 0, utime field 11, stime field 12
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    threads.put(Long.parseLong(task.getFileName().toString()), new Thread(name, ticks));
                } catch (IOException | RuntimeException exited) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException notLinux) {
            // no /proc: nothing to report
        }
        return new ThreadTimes(threads);
    }

    /**
     * Seconds of CPU each group of threads used since {@code earlier}, largest first, with
     * {@code total}. Threads that ended in between are missing: their time is not in /proc anymore.
     */
    Map<String, Object> since(ThreadTimes earlier) {
        Map<String, Long> ticksByGroup = new TreeMap<>();
        threads.forEach((id, thread) -> {
            Thread before = earlier.threads.get(id);
            long used = before != null && before.name.equals(thread.name) ? thread.ticks - before.ticks : thread.ticks;
            ticksByGroup.merge(group(thread.name), used, Long::sum);
        });
        Map<String, Object> seconds = new LinkedHashMap<>();
        ticksByGroup.entrySet().stream().filter(entry -> entry.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(entry -> seconds.put(entry.getKey(), entry.getValue() / TICKS_PER_SECOND));
        seconds.put("total", ticksByGroup.values().stream().mapToLong(Long::longValue).sum() / TICKS_PER_SECOND);
        return seconds;
    }

    /** A pool's threads under one name: trailing numbers and the separators before them go. */
    static String group(String name) {
        String grouped = name.replaceAll("[-_# ]*[0-9]+$", "").replaceAll("[-_# ]*[0-9]+$", "");
        return grouped.isEmpty() ? name : grouped;
    }
}
