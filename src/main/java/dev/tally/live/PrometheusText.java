package dev.tally.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The live metrics in the Prometheus text exposition format (version 0.0.4), one series per tenant
 * with a {@code tenant} label. Written by hand: a dozen lines of format are not worth a client library.
 */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    static String render(LiveState state, long nowMs) {
        List<String> tenants = new ArrayList<>(state.tenants());
        List<Map<LiveCounter, Long>> counters = new ArrayList<>();
        for (String tenant : tenants) {
            counters.add(state.counters(tenant));
        }
        StringBuilder text = new StringBuilder();
        for (LiveCounter counter : LiveCounter.METRICS) {
            String name = "tally_" + counter.fieldName();
            header(text, name, counter.help(), counter.gauge() ? "gauge" : "counter");
            for (int index = 0; index < tenants.size(); index++) {
                sample(text, name, tenants.get(index), Long.toString(counters.get(index).get(counter)));
            }
        }
        header(text, "tally_minutes_processed", "Minutes of ended calls plus live minutes of active calls.", "counter");
        for (int index = 0; index < tenants.size(); index++) {
            sample(text, "tally_minutes_processed", tenants.get(index),
                    LiveMetrics.minutesProcessed(counters.get(index), nowMs).toPlainString());
        }
        return text.toString();
    }

    private static void header(StringBuilder text, String name, String help, String type) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n');
        text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder text, String name, String tenant, String value) {
        text.append(name).append("{tenant=\"").append(escape(tenant)).append("\"} ").append(value).append('\n');
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
