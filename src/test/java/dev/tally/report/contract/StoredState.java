package dev.tally.report.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The events a tenant has once its batches are stored, by the ingest contract's rules applied to
 * the batches in the order they were sent: an id already stored is a duplicate and changes nothing,
 * unless it carries a higher {@code revision} (of the same type), which replaces the stored event;
 * at an equal revision a call's newer state replaces the older unless it would take a finished call
 * back to {@code in_progress}.
 */
final class StoredState {
    private final Map<String, List<JsonNode>> eventsByTenant = new LinkedHashMap<>();

    StoredState(Dataset dataset) {
        dataset.batchesByTenant().forEach((tenant, batches) -> {
            Map<String, JsonNode> byId = new LinkedHashMap<>();
            for (List<ObjectNode> batch : batches) {
                batch.forEach(event -> store(byId, event));
            }
            eventsByTenant.put(tenant, new ArrayList<>(byId.values()));
        });
    }

    private static void store(Map<String, JsonNode> byId, JsonNode event) {
        JsonNode stored = byId.get(EventFields.id(event));
        long revision = EventFields.count(event, "revision");
        if (stored == null) {
            byId.put(EventFields.id(event), event);
        } else if (revision > EventFields.count(stored, "revision")) {
            if (EventFields.type(event).equals(EventFields.type(stored))) {
                byId.put(EventFields.id(event), event);
            }
        } else if (revision == EventFields.count(stored, "revision") && "call".equals(EventFields.type(event))
                && !(EventFields.isFinished(stored) && !EventFields.isFinished(event))) {
            byId.put(EventFields.id(event), event);
        }
    }

    List<String> tenants() {
        return List.copyOf(eventsByTenant.keySet());
    }

    /** Every event the tenant has, of every type, in the order their ids were first stored. */
    List<JsonNode> all(String tenant) {
        return List.copyOf(eventsByTenant.get(tenant));
    }

    Stream<JsonNode> events(String tenant, String type) {
        return eventsByTenant.get(tenant).stream().filter(event -> type.equals(EventFields.type(event)));
    }

    List<JsonNode> events(String tenant, String type, Predicate<JsonNode> condition) {
        return events(tenant, type).filter(condition).toList();
    }
}
