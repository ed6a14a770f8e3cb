package dev.tally.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;

/** Builds demo events as the JSON a platform would send: the same wire format the ingest contract defines. */
final class DemoJson {
    private DemoJson() {
    }

    static ObjectNode event(String tenantId, String id, String type, long timeMs) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("id", id);
        event.put("type", type);
        event.put("time", time(timeMs));
        event.put("tenant_id", tenantId);
        return event;
    }

    static String time(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }

    static BigDecimal seconds(long milliseconds) {
        return BigDecimal.valueOf(milliseconds, 3);
    }
}
