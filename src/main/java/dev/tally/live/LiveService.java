package dev.tally.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.tally.access.TenantService;
import dev.tally.error.Rejection;
import dev.tally.event.CallStatus;
import dev.tally.event.CostSource;
import dev.tally.event.Event;
import dev.tally.event.EventType;
import dev.tally.http.Json;
import dev.tally.store.BatchWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live call control: admits or rejects calls against the platform and tenant limits and the tenant's
 * exhausted {@code block_calls} budgets, hands out
 * instructions, follows each call to its end, and writes every admitted call into the event store
 * (in_progress on admission, the final status on end) through the same writer as ingest, so the
 * spend report and the live view count the same calls.
 */
public final class LiveService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveService.class);
    /** Event ids and ended calls are remembered this long for deduplication: a day, or two call lengths. */
    private static final long MIN_REMEMBER_MS = TimeUnit.DAYS.toMillis(1);
    static final String REAPED = "max_call_seconds";
    private static final TypeReference<LinkedHashMap<String, Object>> ANSWER = new TypeReference<>() {
    };

    private final LiveState state;
    private final InstructionSource instructions;
    private final BudgetRefusals budgets;
    private final TenantService tenants;
    private final BatchWriter writer;
    private final Clock clock;
    private final int globalLimit;
    private final String fallbackInstructions;
    private final long maxCallMs;
    private final ScheduledExecutorService reaper;

    public LiveService(LiveState state, InstructionSource instructions, BudgetRefusals budgets, TenantService tenants,
                       BatchWriter writer, Clock clock, int globalLimit, String fallbackInstructions,
                       long maxCallSeconds) {
        if (globalLimit < 0) {
            throw new IllegalArgumentException("max concurrent calls must not be negative: " + globalLimit);
        }
        if (maxCallSeconds <= 0) {
            throw new IllegalArgumentException("max call seconds must be positive: " + maxCallSeconds);
        }
        this.state = state;
        this.instructions = instructions;
        this.budgets = budgets;
        this.tenants = tenants;
        this.writer = writer;
        this.clock = clock;
        this.globalLimit = globalLimit;
        this.fallbackInstructions = fallbackInstructions == null || fallbackInstructions.isBlank()
                ? null : fallbackInstructions;
        this.maxCallMs = TimeUnit.SECONDS.toMillis(maxCallSeconds);
        this.reaper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tally-call-reaper");
            thread.setDaemon(true);
            return thread;
        });
        long periodMs = Math.max(1_000, Math.min(maxCallMs / 10, 60_000));
        reaper.scheduleWithFixedDelay(this::reapQuietly, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /**
     * The service as a server runs it: in Redis when a URL is given (live state shared by every
     * instance), else in this process. Budgets are asked in this process either way: every
     * instance measures every budget itself.
     */
    public static LiveService open(String redisUrl, TenantService tenants, BudgetRefusals budgets, BatchWriter writer,
                                   Clock clock, int globalLimit, String fallbackInstructions, long maxCallSeconds) {
        long rememberMs = Math.max(MIN_REMEMBER_MS, 2 * TimeUnit.SECONDS.toMillis(maxCallSeconds));
        LiveState state = redisUrl == null ? new InProcessLiveState(rememberMs) : new RedisLiveState(redisUrl, rememberMs);
        return new LiveService(state, InstructionSource.from(tenants), budgets, tenants, writer, clock, globalLimit,
                fallbackInstructions, maxCallSeconds);
    }

    public Map<String, Object> admit(String tenantId, AdmitCommand command) {
        long now = clock.millis();
        CallSettings settings = null;
        boolean dbError = false;
        try {
            settings = instructions.settings(tenantId);
        } catch (RuntimeException failure) {
            dbError = true;
            LOG.warn("instructions for tenant {} could not be read; using the fallback: {}", tenantId, failure.toString());
        }
        RejectReason configRejection = null;
        String handedOut = null;
        String source = "tenant";
        if (settings != null && !settings.configured()) {
            configRejection = RejectReason.TENANT_NOT_CONFIGURED;
        } else if (settings != null && settings.hasInstructions()) {
            handedOut = settings.instructions();
        } else if (fallbackInstructions != null) {
            handedOut = fallbackInstructions;
            source = "fallback";
        } else {
            configRejection = RejectReason.INSTRUCTIONS_MISSING;
        }
        // A tenant that cannot take calls at all is told so first: that is what the operator has to fix.
        RejectReason rejection = configRejection != null ? configRejection
                : budgets.refusingBudget(tenantId, command.agentId()).isPresent() ? RejectReason.BUDGET_EXHAUSTED : null;
        CallSession session = new CallSession(tenantId, command.callId(), now, null, command.agentId(),
                command.direction(), command.phoneNumber(), source);
        Map<String, Object> accepted = new LinkedHashMap<>();
        accepted.put("call_id", command.callId());
        accepted.put("decision", "accepted");
        accepted.put("instructions", handedOut);
        accepted.put("instructions_source", source);
        Admission admission = new Admission(session, command.eventId(), globalLimit,
                settings == null ? null : settings.maxConcurrentCalls(), rejection, dbError,
                handedOut != null && source.equals("fallback"), json(accepted));
        AdmitResult result = state.admit(admission);
        return switch (result.change()) {
            case NEW -> {
                if (result.accepted()) {
                    store(inProgress(session));
                }
                yield answer(command.callId(), result);
            }
            case DUPLICATE -> {
                // Written again on a retry: the store keeps one row per call, so this only repairs a
                // row whose first write failed after the slot was taken.
                CallSession admitted = result.accepted() ? state.session(tenantId, command.callId()) : null;
                if (admitted != null && admitted.startedMs() == null) {
                    store(inProgress(admitted));
                }
                yield answer(command.callId(), result);
            }
            case CALL_ACTIVE -> throw Rejection.conflict("call_id",
                    "call " + command.callId() + " is already admitted under another event_id");
            case UNKNOWN_CALL -> throw new IllegalStateException("admission cannot find an unknown call");
        };
    }

    private static Map<String, Object> answer(String callId, AdmitResult result) {
        if (!result.accepted()) {
            Map<String, Object> rejected = new LinkedHashMap<>();
            rejected.put("call_id", callId);
            rejected.put("decision", "rejected");
            rejected.put("reason", result.reason().wireName());
            return rejected;
        }
        try {
            return Json.MAPPER.readValue(result.acceptedAnswer(), ANSWER);
        } catch (JsonProcessingException corrupt) {
            throw new IllegalStateException("unreadable stored admission answer", corrupt);
        }
    }

    public Map<String, Object> start(String tenantId, String callId, String eventId) {
        LiveState.StartResult result = state.start(tenantId, callId, eventId, clock.millis());
        return switch (result.change()) {
            case NEW, DUPLICATE -> {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("call_id", callId);
                answer.put("status", CallStatus.IN_PROGRESS.wireName());
                answer.put("started_at", Instant.ofEpochMilli(result.startedMs()).toString());
                yield answer;
            }
            case UNKNOWN_CALL, CALL_ACTIVE -> throw unknownCall(callId);
        };
    }

    public Map<String, Object> end(String tenantId, String callId, String eventId, CallOutcome outcome, Long durationMs) {
        String endReason = switch (outcome) {
            case REFERRED -> "referred";
            case COMPLETED, FAILED -> null;
        };
        LiveState.EndResult result = state.end(tenantId, callId, eventId, outcome, durationMs, endReason, clock.millis());
        return switch (result.change()) {
            case NEW, DUPLICATE -> {
                store(finalEvent(result.ended()));
                yield endAnswer(result.ended());
            }
            case UNKNOWN_CALL, CALL_ACTIVE -> throw unknownCall(callId);
        };
    }

    /** Ends every call older than the maximum call length as failed; returns how many it ended. */
    public int reapNow() {
        long now = clock.millis();
        int reaped = 0;
        for (CallSession session : state.sessionsAdmittedBefore(now - maxCallMs + 1)) {
            LiveState.EndResult result = state.end(session.tenantId(), session.callId(),
                    "tally-reaper:" + session.callId(), CallOutcome.FAILED, null, REAPED, now);
            if (result.change() == StateChange.NEW) {
                store(finalEvent(result.ended()));
                reaped++;
            }
        }
        if (reaped > 0) {
            LOG.info("reaped {} calls older than {} s", reaped, maxCallMs / 1000);
        }
        return reaped;
    }

    private void reapQuietly() {
        try {
            reapNow();
        } catch (RuntimeException failure) {
            LOG.warn("reaping calls failed; next round retries: {}", failure.toString());
        }
    }

    public Map<String, Object> metrics(String tenantId) {
        return LiveMetrics.view(state.counters(tenantId), clock.millis());
    }

    public Map<String, Object> capacity() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("global", capacityView(state.counters(null), globalLimit));
        List<Map<String, Object>> perTenant = new ArrayList<>();
        for (String tenantId : state.tenants()) {
            Integer limit = tenants.find(tenantId).map(tenant -> tenant.maxConcurrentCalls()).orElse(null);
            Map<String, Object> tenantView = new LinkedHashMap<>();
            tenantView.put("tenant_id", tenantId);
            tenantView.putAll(capacityView(state.counters(tenantId), limit));
            perTenant.add(tenantView);
        }
        view.put("tenants", perTenant);
        return view;
    }

    private static Map<String, Object> capacityView(Map<LiveCounter, Long> counters, Integer limit) {
        long held = counters.get(LiveCounter.HELD_SLOTS);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("max_concurrent_calls", limit);
        view.put("held_slots", held);
        view.put("active_calls", counters.get(LiveCounter.ACTIVE_CALLS));
        view.put("pending_calls", counters.get(LiveCounter.PENDING_CALLS));
        view.put("accepted_calls", counters.get(LiveCounter.ACCEPTED_CALLS));
        view.put("rejected_calls_capacity", counters.get(LiveCounter.REJECTED_CALLS_CAPACITY));
        view.put("available_slots", limit == null ? null : Math.max(0, limit - held));
        return view;
    }

    public List<Map<String, Object>> sessions() {
        long now = clock.millis();
        List<Map<String, Object>> views = new ArrayList<>();
        for (CallSession session : state.sessions()) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("tenant_id", session.tenantId());
            view.put("call_id", session.callId());
            view.put("status", session.startedMs() == null ? "pending" : "active");
            view.put("admitted_at", Instant.ofEpochMilli(session.admittedMs()).toString());
            view.put("started_at", session.startedMs() == null ? null : Instant.ofEpochMilli(session.startedMs()).toString());
            view.put("agent_id", session.agentId());
            view.put("direction", session.direction());
            view.put("phone_number", session.phoneNumber());
            view.put("instructions_source", session.instructionsSource());
            view.put("seconds_held", (now - session.admittedMs()) / 1000);
            views.add(view);
        }
        return views;
    }

    /**
     * Gives the live metrics meters in the registry (and whether the live state's store answers);
     * the returned task reads the state once, to run before each scrape.
     */
    public Runnable bindMeters(io.micrometer.core.instrument.MeterRegistry registry) {
        LiveMeters meters = new LiveMeters(state, registry, clock::millis);
        for (String dependency : state.dependencies().keySet()) {
            io.micrometer.core.instrument.Gauge.builder("tally.dependency.up",
                            () -> state.dependencies().getOrDefault(dependency, false) ? 1 : 0)
                    .description("1 while the dependency answers, else 0.").tag("dependency", dependency)
                    .register(registry);
        }
        return meters::refresh;
    }

    private static Map<String, Object> endAnswer(EndedCall ended) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("call_id", ended.session().callId());
        answer.put("status", ended.outcome().status().wireName());
        answer.put("outcome", ended.outcome().wireName());
        answer.put("end_reason", ended.endReason());
        answer.put("ended_at", Instant.ofEpochMilli(ended.endedMs()).toString());
        answer.put("duration_seconds", ended.durationMs() / 1000.0);
        return answer;
    }

    private static Event inProgress(CallSession session) {
        Event event = callEvent(session);
        event.status = CallStatus.IN_PROGRESS.wireName();
        return event;
    }

    private Event finalEvent(EndedCall ended) {
        Event event = callEvent(ended.session());
        event.status = ended.outcome().status().wireName();
        event.endReason = ended.endReason();
        event.endedMs = Math.max(ended.endedMs(), event.timeMs);
        event.durationMs = ended.durationMs();
        return event;
    }

    /** The call row as ingest would build it from a call event: the call id is the row's id. */
    private static Event callEvent(CallSession session) {
        Event event = new Event();
        event.tenantId = session.tenantId();
        event.id = session.callId();
        event.type = EventType.CALL;
        event.timeMs = session.admittedMs();
        event.agentId = session.agentId();
        event.direction = session.direction();
        event.phoneNumber = session.phoneNumber();
        event.costSource = CostSource.NONE;
        event.receivedMs = session.startedMs() == null ? session.admittedMs() : session.startedMs();
        return event;
    }

    private void store(Event event) {
        event.receivedMs = clock.millis();
        writer.write(List.of(event));
    }

    private static String json(Map<String, Object> answer) {
        try {
            return Json.MAPPER.writeValueAsString(answer);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static Rejection unknownCall(String callId) {
        return Rejection.notFound("call_id", "no admitted call " + callId
                + " (never admitted, or ended longer ago than Tally remembers)");
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        state.close();
    }

    /** An admission request as the gateway sends it, already validated. */
    public record AdmitCommand(String eventId, String callId, String agentId, String direction, String phoneNumber) {
    }

    /** The live state's dependencies and whether each answers now ({@link LiveState#dependencies}). */
    /** Whether the tenant has a call of this id holding a slot now. */
    public boolean holdsCall(String tenantId, String callId) {
        return state.session(tenantId, callId) != null;
    }

    /** Erasure of a data subject in live state: see {@link LiveState#erase}. */
    public long erase(String tenantId, LiveIdentifier identifier, String value, String pseudonym) {
        return state.erase(tenantId, identifier, value, pseudonym);
    }

    public java.util.Map<String, Boolean> dependencies() {
        return state.dependencies();
    }
}
