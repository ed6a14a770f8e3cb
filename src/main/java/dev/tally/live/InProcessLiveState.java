package dev.tally.live;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Live state in this process: one instance's view, lost on restart. One lock makes every method
 * atomic; the critical sections are a few map operations, far below the cost of the HTTP around them.
 * It mirrors the Redis scripts step by step so both behave the same.
 */
public final class InProcessLiveState implements LiveState {
    private static final String PLATFORM = "";

    private final long rememberMs;
    private final Map<String, Map<LiveCounter, Long>> counters = new HashMap<>();
    private final Map<String, CallSession> sessions = new LinkedHashMap<>();
    /** Answers by tenant + event id, and ended calls by tenant + call id, in insertion (so expiry) order. */
    private final Map<String, Remembered> remembered = new LinkedHashMap<>();

    private record Remembered(Object value, long expiresMs) {
    }

    /** @param rememberMs how long event ids and ended calls are remembered for deduplication */
    public InProcessLiveState(long rememberMs) {
        this.rememberMs = rememberMs;
    }

    @Override
    public synchronized AdmitResult admit(Admission admission) {
        CallSession session = admission.session();
        long now = session.admittedMs();
        forgetExpired(now);
        String eventKey = eventKey(session.tenantId(), admission.eventId());
        Remembered previous = remembered.get(eventKey);
        if (previous != null) {
            return AdmitResult.decode(StateChange.DUPLICATE, (String) previous.value());
        }
        String sessionKey = callKey(session.tenantId(), session.callId());
        if (sessions.containsKey(sessionKey)) {
            return new AdmitResult(StateChange.CALL_ACTIVE, null, null);
        }
        String tenant = session.tenantId();
        counters.computeIfAbsent(tenant, ignored -> new EnumMap<>(LiveCounter.class));
        if (admission.instructionsDbError()) {
            count(tenant, LiveCounter.INSTRUCTIONS_DB_ERRORS, 1);
        }
        AdmitResult result;
        if (admission.rejectionBeforeCapacity() != null) {
            count(tenant, admission.rejectionBeforeCapacity().counter(), 1);
            result = new AdmitResult(StateChange.NEW, null, admission.rejectionBeforeCapacity());
        } else if (value(PLATFORM, LiveCounter.HELD_SLOTS) >= admission.globalLimit()
                || admission.tenantLimit() != null && value(tenant, LiveCounter.HELD_SLOTS) >= admission.tenantLimit()) {
            count(tenant, LiveCounter.REJECTED_CALLS_CAPACITY, 1);
            result = new AdmitResult(StateChange.NEW, null, RejectReason.CAPACITY);
        } else {
            count(tenant, LiveCounter.ACCEPTED_CALLS, 1);
            count(tenant, LiveCounter.HELD_SLOTS, 1);
            count(tenant, LiveCounter.PENDING_CALLS, 1);
            if (admission.fallbackUsed()) {
                count(tenant, LiveCounter.FALLBACK_INSTRUCTIONS_USED, 1);
            }
            sessions.put(sessionKey, session);
            result = new AdmitResult(StateChange.NEW, admission.acceptedAnswer(), null);
        }
        remembered.put(eventKey, new Remembered(result.encode(), now + rememberMs));
        return result;
    }

    @Override
    public synchronized StartResult start(String tenantId, String callId, String eventId, long nowMs) {
        forgetExpired(nowMs);
        String eventKey = eventKey(tenantId, eventId);
        Remembered previous = remembered.get(eventKey);
        if (previous != null) {
            return new StartResult(StateChange.DUPLICATE, (Long) previous.value());
        }
        String sessionKey = callKey(tenantId, callId);
        CallSession session = sessions.get(sessionKey);
        if (session == null) {
            return new StartResult(StateChange.UNKNOWN_CALL, 0);
        }
        if (session.startedMs() != null) {
            remembered.put(eventKey, new Remembered(session.startedMs(), nowMs + rememberMs));
            return new StartResult(StateChange.DUPLICATE, session.startedMs());
        }
        sessions.put(sessionKey, new CallSession(tenantId, callId, session.admittedMs(), nowMs, session.agentId(),
                session.direction(), session.phoneNumber(), session.instructionsSource()));
        count(tenantId, LiveCounter.STARTED_CALLS, 1);
        count(tenantId, LiveCounter.ACTIVE_CALLS, 1);
        count(tenantId, LiveCounter.PENDING_CALLS, -1);
        count(tenantId, LiveCounter.STARTED_MS_SUM, nowMs);
        remembered.put(eventKey, new Remembered(nowMs, nowMs + rememberMs));
        return new StartResult(StateChange.NEW, nowMs);
    }

    @Override
    public synchronized EndResult end(String tenantId, String callId, String eventId, CallOutcome outcome,
                                      Long durationMs, String endReason, long nowMs) {
        forgetExpired(nowMs);
        String eventKey = eventKey(tenantId, eventId);
        Remembered previous = remembered.get(eventKey);
        if (previous != null) {
            return new EndResult(StateChange.DUPLICATE, (EndedCall) previous.value());
        }
        String sessionKey = callKey(tenantId, callId);
        CallSession session = sessions.remove(sessionKey);
        if (session == null) {
            Remembered ended = remembered.get("ended\n" + sessionKey);
            return ended == null ? new EndResult(StateChange.UNKNOWN_CALL, null)
                    : new EndResult(StateChange.DUPLICATE, (EndedCall) ended.value());
        }
        Long started = session.startedMs();
        long duration = durationMs != null ? durationMs : started == null ? 0 : Math.max(0, nowMs - started);
        count(tenantId, LiveCounter.ENDED_CALLS, 1);
        switch (outcome) {
            case COMPLETED -> {
                // only ended_calls
            }
            case FAILED -> count(tenantId, LiveCounter.FAILED_CALLS, 1);
            case REFERRED -> count(tenantId, LiveCounter.REFERRED_CALLS, 1);
        }
        count(tenantId, LiveCounter.HELD_SLOTS, -1);
        if (started != null) {
            count(tenantId, LiveCounter.ACTIVE_CALLS, -1);
            count(tenantId, LiveCounter.STARTED_MS_SUM, -started);
        } else {
            count(tenantId, LiveCounter.PENDING_CALLS, -1);
        }
        count(tenantId, LiveCounter.ENDED_DURATION_MS, duration);
        EndedCall ended = new EndedCall(session, outcome, nowMs, duration, endReason);
        remembered.put(eventKey, new Remembered(ended, nowMs + rememberMs));
        remembered.put("ended\n" + sessionKey, new Remembered(ended, nowMs + rememberMs));
        return new EndResult(StateChange.NEW, ended);
    }

    @Override
    public synchronized CallSession session(String tenantId, String callId) {
        return sessions.get(callKey(tenantId, callId));
    }

    @Override
    public synchronized List<CallSession> sessions() {
        List<CallSession> all = new ArrayList<>(sessions.values());
        all.sort(Comparator.comparingLong(CallSession::admittedMs));
        return all;
    }

    @Override
    public synchronized List<CallSession> sessionsAdmittedBefore(long cutoffMs) {
        return sessions().stream().filter(session -> session.admittedMs() < cutoffMs).toList();
    }

    @Override
    public synchronized Map<LiveCounter, Long> counters(String tenantId) {
        Map<LiveCounter, Long> copy = new EnumMap<>(LiveCounter.class);
        for (LiveCounter counter : LiveCounter.values()) {
            copy.put(counter, value(tenantId == null ? PLATFORM : tenantId, counter));
        }
        return copy;
    }

    @Override
    public synchronized Set<String> tenants() {
        Set<String> tenants = new TreeSet<>(counters.keySet());
        tenants.remove(PLATFORM);
        return tenants;
    }

    @Override
    public void close() {
        // nothing held outside the heap
    }

    private long value(String tenant, LiveCounter counter) {
        Map<LiveCounter, Long> values = counters.get(tenant);
        return values == null ? 0 : values.getOrDefault(counter, 0L);
    }

    private void count(String tenant, LiveCounter counter, long by) {
        counters.computeIfAbsent(tenant, ignored -> new EnumMap<>(LiveCounter.class)).merge(counter, by, Long::sum);
        counters.computeIfAbsent(PLATFORM, ignored -> new EnumMap<>(LiveCounter.class)).merge(counter, by, Long::sum);
    }

    @Override
    public synchronized long erase(String tenantId, LiveIdentifier identifier, String value, String pseudonym) {
        long replaced = 0;
        for (Map.Entry<String, CallSession> entry : sessions.entrySet()) {
            CallSession session = entry.getValue();
            CallSession erased = session.tenantId().equals(tenantId) ? identifier.replaced(session, value, pseudonym) : null;
            if (erased != null) {
                entry.setValue(erased);
                replaced++;
            }
        }
        // an ended call is remembered under its id: that entry goes, the answers to its events keep the pseudonym
        if (identifier == LiveIdentifier.CALL_ID && remembered.remove("ended\n" + callKey(tenantId, value)) != null) {
            replaced++;
        }
        for (Map.Entry<String, Remembered> entry : remembered.entrySet()) {
            if (entry.getValue().value() instanceof EndedCall ended && ended.session().tenantId().equals(tenantId)) {
                CallSession erased = identifier.replaced(ended.session(), value, pseudonym);
                if (erased != null) {
                    entry.setValue(new Remembered(new EndedCall(erased, ended.outcome(), ended.endedMs(),
                            ended.durationMs(), ended.endReason()), entry.getValue().expiresMs()));
                    replaced++;
                }
            }
        }
        return replaced;
    }

    private void forgetExpired(long nowMs) {
        Iterator<Remembered> oldest = remembered.values().iterator();
        while (oldest.hasNext()) {
            if (oldest.next().expiresMs() > nowMs) {
                return;
            }
            oldest.remove();
        }
    }

    private static String eventKey(String tenantId, String eventId) {
        return "event\n" + tenantId + "\n" + eventId;
    }

    private static String callKey(String tenantId, String callId) {
        return tenantId + "\n" + callId;
    }
}
