package dev.tally.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Work an instance does after it starts serving and before it should be called ready, such as
 * loading the demo data: the HTTP server is up (health answers), but until the demo's keys exist
 * a newcomer's first request with them would be refused. Readiness lists each running piece as
 * {@code loading}.
 */
public final class StartupWork {
    private final List<String> running = new CopyOnWriteArrayList<>();

    /** Runs {@code work} on this thread; readiness names it as loading until it returns or throws. */
    public <T> T run(String name, Supplier<T> work) {
        running.add(name);
        try {
            return work.get();
        } finally {
            running.remove(name);
        }
    }

    /** What is running now, by name. */
    public List<String> running() {
        return List.copyOf(running);
    }
}
