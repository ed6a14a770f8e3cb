package dev.tally.live;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/** The metrics object of spec 002 (eleven integers, and budget refusals beside the other rejections) and minutes_processed. */
public final class LiveMetrics {
    private static final BigDecimal MS_PER_MINUTE = BigDecimal.valueOf(60_000);

    private LiveMetrics() {
    }

    /** Minutes of ended calls plus the minutes active calls have run until {@code nowMs}. */
    public static BigDecimal minutesProcessed(Map<LiveCounter, Long> counters, long nowMs) {
        long liveMs = counters.get(LiveCounter.ACTIVE_CALLS) * nowMs - counters.get(LiveCounter.STARTED_MS_SUM);
        long totalMs = counters.get(LiveCounter.ENDED_DURATION_MS) + Math.max(0, liveMs);
        return BigDecimal.valueOf(totalMs).divide(MS_PER_MINUTE, 2, RoundingMode.HALF_UP);
    }

    public static Map<String, Object> view(Map<LiveCounter, Long> counters, long nowMs) {
        Map<String, Object> view = new LinkedHashMap<>();
        for (LiveCounter counter : LiveCounter.METRICS) {
            view.put(counter.fieldName(), counters.get(counter));
        }
        view.put("minutes_processed", minutesProcessed(counters, nowMs));
        return view;
    }
}
