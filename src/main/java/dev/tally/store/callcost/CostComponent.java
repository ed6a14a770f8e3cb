package dev.tally.store.callcost;

import dev.tally.event.Event;
import dev.tally.event.EventType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The parts a call's cost splits into (events.md, "The cost of a call"): the call's own carrier
 * cost, each usage type that names the call in {@code call_id}, and one part per fee kind. The rule
 * that places an event in a part is written here once, in Java for the write path and as SQL for the
 * reads that add raw rows, so both stores and both paths split alike.
 */
public enum CostComponent {
    TELEPHONY(EventType.CALL, null),
    STT(EventType.STT, null),
    LLM(EventType.LLM, null),
    TTS(EventType.TTS, null),
    SMS(EventType.SMS, null),
    PLATFORM(EventType.FEE, "platform"),
    ANALYSIS(EventType.FEE, "analysis"),
    TRANSPORT(EventType.FEE, "transport"),
    PHONE_NUMBER(EventType.FEE, "phone_number"),
    OTHER(EventType.FEE, "other");

    /** Every part but the call's own: what events naming the call add. */
    public static final List<CostComponent> PARTS = List.of(STT, LLM, TTS, SMS, PLATFORM, ANALYSIS, TRANSPORT,
            PHONE_NUMBER, OTHER);

    private final EventType type;
    private final String feeKind;

    CostComponent(EventType type, String feeKind) {
        this.type = type;
        this.feeKind = feeKind;
    }

    /** The key in report answers: the type, or the fee's kind. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The column holding this part's nano-dollars in per-call tables and queries. */
    public String column() {
        return key() + "_nanos";
    }

    public boolean isFee() {
        return feeKind != null;
    }

    /** The part of a call an event adds to, if any: its type, or its kind when it is a fee. */
    public static Optional<CostComponent> of(EventType type, String kind) {
        for (CostComponent component : values()) {
            if (component.type == type && (component.feeKind == null || component.feeKind.equals(kind))) {
                return Optional.of(component);
            }
        }
        return Optional.empty();
    }

    /** The part an event adds to the call it names; empty for an event that names no call or adds to none. */
    public static Optional<CostComponent> partOf(Event event) {
        if (event.callId == null || event.type == EventType.CALL) {
            return Optional.empty();
        }
        return of(event.type, event.kind);
    }

    /**
     * Whether the event is one {@link #partTypesSql} takes as a part of the call it names: of a
     * part's type, whatever its kind, as the reads that add parts up select their rows.
     */
    public static boolean namesCall(Event event) {
        return event.callId != null && PARTS.stream().anyMatch(component -> component.type == event.type);
    }

    /** The same rule as SQL over a raw row: true where the row adds to this part. */
    public String sqlCondition() {
        String condition = "type = '" + type.wireName() + "'";
        return feeKind == null ? condition : condition + " AND kind = '" + feeKind + "'";
    }

    /** The types whose events add to a call's parts, as an SQL list. */
    public static String partTypesSql() {
        StringBuilder list = new StringBuilder("(");
        PARTS.stream().map(component -> component.type).distinct().forEach(type ->
                list.append(list.length() > 1 ? ", " : "").append('\'').append(type.wireName()).append('\''));
        return list.append(')').toString();
    }
}
