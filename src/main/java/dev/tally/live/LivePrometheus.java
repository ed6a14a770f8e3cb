package dev.tally.live;

import dev.tally.http.PrometheusText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The live metrics as Prometheus text, one series per tenant with a {@code tenant} label. */
final class LivePrometheus {
    private LivePrometheus() {
    }

    static String render(LiveState state, long nowMs) {
        List<String> tenants = new ArrayList<>(state.tenants());
        List<Map<LiveCounter, Long>> counters = new ArrayList<>();
        for (String tenant : tenants) {
            counters.add(state.counters(tenant));
        }
        PrometheusText text = new PrometheusText();
        for (LiveCounter counter : LiveCounter.METRICS) {
            String name = "tally_" + counter.fieldName();
            text.family(name, counter.help(), counter.gauge() ? "gauge" : "counter");
            for (int index = 0; index < tenants.size(); index++) {
                text.sample(name, Long.toString(counters.get(index).get(counter)), "tenant", tenants.get(index));
            }
        }
        text.family("tally_minutes_processed", "Minutes of ended calls plus live minutes of active calls.", "counter");
        for (int index = 0; index < tenants.size(); index++) {
            text.sample("tally_minutes_processed", LiveMetrics.minutesProcessed(counters.get(index), nowMs).toPlainString(),
                    "tenant", tenants.get(index));
        }
        return text.toString();
    }
}
