package dev.tally.store.rollup;

import dev.tally.bench.EventGenerator;
import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.ingest.WriteOutcome;
import dev.tally.store.EventStore;
import dev.tally.store.ReportStore;
import dev.tally.store.duckdb.DuckDbDatabase;
import dev.tally.store.duckdb.DuckDbEventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Randomized usage (fixed seed) written to an in-memory DuckDB store in many batches, with call
 * states replaced across batches (in progress, then final; final, then corrected), duplicates and
 * unpriced models, so the rollups carry negative deltas and cancelled groups. {@link #raw} is the
 * same store read without rollups: every rollup row is derived from the raw tables.
 */
public final class RollupFixture implements AutoCloseable {
    /** 2026-03-15T00:00:00Z: the generated days end here. */
    public static final long END_MS = 1_773_532_800_000L;
    public static final int DAYS = 40;

    private final DuckDbDatabase database = DuckDbDatabase.inMemory();
    private final DuckDbEventStore store = new DuckDbEventStore(database);

    public RollupFixture(long seed, boolean compacted) {
        EventGenerator generator = new EventGenerator(seed, 30_000, 1_000, END_MS, DAYS);
        SplittableRandom random = new SplittableRandom(seed);
        List<Event> replacements = new ArrayList<>();
        for (int index = 0; index < generator.batches(); index++) {
            List<Event> batch = new ArrayList<>();
            // the final states held back from the previous batch replace what it stored
            batch.addAll(replacements);
            replacements.clear();
            for (Event event : generator.batch(index)) {
                if (event.type == EventType.LLM && random.nextInt(7) == 0) {
                    event.costSource = CostSource.UNPRICED;
                } else if (event.type == EventType.LLM) {
                    event.creditsMicros = event.inputTokens + event.outputTokens;
                    event.costNanos = event.inputTokens * 150 + event.outputTokens * 600;
                    event.costSource = CostSource.COMPUTED;
                }
                if (event.type == EventType.CALL && event.isFinalCall() && random.nextInt(3) == 0) {
                    replacements.add(event);
                    batch.add(inProgress(event));
                } else if (event.type == EventType.CALL && event.isFinalCall() && random.nextInt(4) == 0) {
                    batch.add(event);
                    replacements.add(corrected(event, random));
                } else {
                    batch.add(event);
                }
                if (random.nextInt(50) == 0) {
                    batch.add(event);
                }
            }
            List<WriteOutcome> outcomes = store.write(batch);
            if (outcomes.size() != batch.size()) {
                throw new IllegalStateException("a write lost events");
            }
        }
        store.write(replacements);
        if (compacted) {
            store.compactRollups();
        }
    }

    /** Just these events, written in one batch: for answers worked out by hand. */
    public RollupFixture(List<Event> events) {
        if (store.write(events).size() != events.size()) {
            throw new IllegalStateException("a write lost events");
        }
    }

    public static Event inProgress(Event call) {
        Event early = call.copy();
        early.status = "in_progress";
        early.endedMs = null;
        early.durationMs = null;
        early.sentiment = null;
        early.costNanos = 0;
        return early;
    }

    /** The same call sent again with another outcome: another agent, duration, status and cost. */
    private static Event corrected(Event call, SplittableRandom random) {
        Event later = call.copy();
        later.agentId = "agent-" + random.nextInt(EventGenerator.AGENTS);
        later.durationMs = call.durationMs + random.nextInt(200_000);
        later.endedMs = later.timeMs + later.durationMs;
        later.status = random.nextBoolean() ? "failed" : "completed";
        later.sentiment = null;
        later.costNanos = call.costNanos + 7;
        return later;
    }

    /** The store with its rollups. */
    public EventStore rollups() {
        return store;
    }

    /** The same data, every report derived from the raw tables. */
    public ReportStore raw() {
        return store.withoutRollups();
    }

    @Override
    public void close() {
        store.close();
        database.close();
    }
}
