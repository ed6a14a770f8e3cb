package dev.tally.demo;

import dev.tally.app.Tally;
import dev.tally.auth.ApiKey;
import dev.tally.auth.Principal;
import dev.tally.auth.Scope;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates the demo's 90 days of usage and loads it through the real ingest path.
 *
 * <p>Deterministic: every random choice comes from a generator seeded by the tenant and the day,
 * and every id is derived from the tenant, the date and a sequence number, so the same clock date
 * gives the same events, and loading again is all duplicates. Times are relative to the clock's
 * current UTC date, so the reports' default ranges ("last 30 days", "this month") show data
 * whenever the demo is started; nothing is dated after the clock's now.
 */
public final class DemoLoader {
    static final long SEED = 20_250_101L;
    static final int DAYS = 90;
    static final int BATCH_SIZE = 5_000;

    /** What one load did. */
    public record Summary(long accepted, long duplicates, Duration took) {
    }

    private DemoLoader() {
    }

    /** Sends every demo event; the demo tenants must exist. */
    public static Summary loadEvents(Tally tally) {
        long started = System.nanoTime();
        long nowMs = tally.clock().millis();
        LocalDate today = LocalDate.ofInstant(tally.clock().instant(), ZoneOffset.UTC);
        try (NdjsonBatches batches = new NdjsonBatches(tally.ingest(), loaderPrincipal(nowMs), BATCH_SIZE)) {
            for (DemoTenant tenant : DemoTenants.ALL) {
                generate(tenant, batches, today, nowMs);
            }
            return batches.finish(started);
        }
    }

    private static void generate(DemoTenant tenant, NdjsonBatches batches, LocalDate today, long nowMs) {
        CallGenerator calls = new CallGenerator(tenant, batches, nowMs);
        SmsGenerator texts = new SmsGenerator(tenant, batches, nowMs);
        ChatGenerator chats = new ChatGenerator(tenant, batches, nowMs);
        NumberFees numberFees = new NumberFees(tenant, batches);
        for (int daysAgo = DAYS - 1; daysAgo >= 0; daysAgo--) {
            LocalDate date = today.minusDays(daysAgo);
            double progress = (DAYS - 1 - daysAgo) / (double) (DAYS - 1);
            SplittableRandom random = new SplittableRandom(seed(tenant, daysAgo));
            SplittableRandom textRandom = random.split();
            SplittableRandom chatRandom = random.split();
            calls.day(date, progress, random);
            texts.day(date, progress, textRandom);
            chats.day(date, progress, chatRandom);
            numberFees.day(date);
        }
        calls.inProgress(today, new SplittableRandom(seed(tenant, -1)));
    }

    private static long seed(DemoTenant tenant, int daysAgo) {
        return SEED * 1_000_003L + tenant.id().hashCode() * 7_919L + daysAgo;
    }

    /**
     * A platform principal that exists only for this load: it is what an authenticated platform
     * key turns into, so the events take the same path as over HTTP, but it is never stored and
     * so never becomes a credential anyone could use.
     */
    private static Principal loaderPrincipal(long nowMs) {
        return new Principal(new ApiKey("key_demo_loader", null, "demo loader", Set.of(Scope.EVENTS_WRITE), "",
                "", null, nowMs, nowMs + Duration.ofHours(1).toMillis(), null));
    }
}
