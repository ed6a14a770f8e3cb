package dev.tally.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.http.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Live state in Redis, shared by every Tally instance pointed at the same server: one set of limits,
 * one deduplication, one set of counters. Each change is one Lua script ({@link RedisScripts}),
 * sent by its SHA ({@code EVALSHA}) and by its text only when Redis does not know it yet.
 *
 * <p>When Redis cannot answer, every method throws {@link LiveStateUnavailable}: admission refuses
 * with 503 rather than admit against a count it cannot see.
 */
public final class RedisLiveState implements LiveState {
    private static final String PREFIX = "tally:live:";
    private static final int TIMEOUT_MS = 2_000;

    private final JedisPooled redis;
    private final long rememberMs;

    public RedisLiveState(String url, long rememberMs) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(64);
        pool.setMaxIdle(64);
        // Waiting forever for a pooled connection would turn an outage into hung requests.
        pool.setMaxWait(Duration.ofMillis(TIMEOUT_MS));
        this.redis = new JedisPooled(pool, URI.create(url), TIMEOUT_MS);
        this.rememberMs = rememberMs;
    }

    @Override
    public AdmitResult admit(Admission admission) {
        CallSession session = admission.session();
        List<String> result = run(Script.ADMIT, List.of(PREFIX, session.tenantId(), admission.eventId(),
                session.callId(), Long.toString(session.admittedMs()), Integer.toString(admission.globalLimit()),
                Integer.toString(admission.tenantLimit() == null ? -1 : admission.tenantLimit()),
                admission.rejectionBeforeCapacity() == null ? "" : admission.rejectionBeforeCapacity().wireName(),
                admission.instructionsDbError() ? "1" : "0", admission.fallbackUsed() ? "1" : "0",
                admission.acceptedAnswer(), Long.toString(rememberMs), orEmpty(session.agentId()),
                orEmpty(session.direction()), orEmpty(session.phoneNumber()), session.instructionsSource()));
        StateChange change = StateChange.valueOf(result.get(0));
        return switch (change) {
            case NEW, DUPLICATE -> AdmitResult.decode(change, result.get(1));
            case CALL_ACTIVE, UNKNOWN_CALL -> new AdmitResult(change, null, null);
        };
    }

    @Override
    public StartResult start(String tenantId, String callId, String eventId, long nowMs) {
        List<String> result = run(Script.START, List.of(PREFIX, tenantId, eventId, callId, Long.toString(nowMs),
                Long.toString(rememberMs)));
        return new StartResult(StateChange.valueOf(result.get(0)), Long.parseLong(result.get(1)));
    }

    @Override
    public EndResult end(String tenantId, String callId, String eventId, CallOutcome outcome, Long durationMs,
                         String endReason, long nowMs) {
        List<String> result = run(Script.END, List.of(PREFIX, tenantId, eventId, callId, Long.toString(nowMs),
                Long.toString(rememberMs), outcome.wireName(), Long.toString(durationMs == null ? -1 : durationMs),
                orEmpty(endReason)));
        StateChange change = StateChange.valueOf(result.get(0));
        return new EndResult(change, change == StateChange.UNKNOWN_CALL ? null : endedCall(result.get(1)));
    }

    @Override
    public CallSession session(String tenantId, String callId) {
        Map<String, String> fields = available(() -> redis.hgetAll(PREFIX + "session:" + tenantId + ":" + callId));
        return fields.isEmpty() ? null : session(fields::get);
    }

    @Override
    public List<CallSession> sessions() {
        return sessionsFrom(available(() -> redis.zrange(PREFIX + "sessions", 0, -1)));
    }

    @Override
    public List<CallSession> sessionsAdmittedBefore(long cutoffMs) {
        // "(" makes the bound exclusive, as in the in-process state
        return sessionsFrom(available(() -> redis.zrangeByScore(PREFIX + "sessions", "-inf", "(" + cutoffMs)));
    }

    @Override
    public Map<LiveCounter, Long> counters(String tenantId) {
        Map<String, String> stored = available(() ->
                redis.hgetAll(tenantId == null ? PREFIX + "counters" : PREFIX + "counters:" + tenantId));
        Map<LiveCounter, Long> counters = new EnumMap<>(LiveCounter.class);
        for (LiveCounter counter : LiveCounter.values()) {
            String value = stored.get(counter.fieldName());
            counters.put(counter, value == null ? 0 : Long.parseLong(value));
        }
        return counters;
    }

    /** ARGV: key, field, value, pseudonym: replaces the field when it holds the value, never making a hash that ended meanwhile. */
    private static final String REPLACE_FIELD = """
            if redis.call('HGET', ARGV[1], ARGV[2]) == ARGV[3] then
              redis.call('HSET', ARGV[1], ARGV[2], ARGV[4])
              return 1
            end
            return 0
            """;

    @Override
    public long erase(String tenantId, LiveIdentifier identifier, String value, String pseudonym) {
        return available(() -> {
            long replaced = 0;
            for (String member : redis.zrange(PREFIX + "sessions", 0, -1)) {
                if (member.startsWith(tenantId + ":")) {
                    replaced += (Long) redis.eval(REPLACE_FIELD, List.of(),
                            List.of(PREFIX + "session:" + member, identifier.field(), value, pseudonym));
                }
            }
            if (identifier == LiveIdentifier.CALL_ID) {
                // an ended call is remembered under its id: that entry goes, the answers to its events keep the pseudonym
                replaced += redis.del(PREFIX + "ended:" + tenantId + ":" + value);
            }
            for (String kind : List.of("ended:", "event:")) {
                replaced += eraseRemembered(PREFIX + kind + globEscaped(tenantId) + ":*", identifier, value, pseudonym);
            }
            return replaced;
        });
    }

    /** Ended calls remembered as JSON under the keys matching the pattern: the value replaced, their expiry kept. */
    private long eraseRemembered(String pattern, LiveIdentifier identifier, String value, String pseudonym) {
        long replaced = 0;
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().match(pattern).count(1000);
        do {
            ScanResult<String> page = redis.scan(cursor, params);
            for (String key : page.getResult()) {
                String stored = redis.get(key);
                if (stored == null || !stored.startsWith("{")) {
                    continue;
                }
                try {
                    com.fasterxml.jackson.databind.node.ObjectNode json =
                            (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(stored);
                    if (value.equals(json.path(identifier.field()).asText(null))) {
                        json.put(identifier.field(), pseudonym);
                        redis.set(key, Json.MAPPER.writeValueAsString(json),
                                SetParams.setParams().keepTtl().xx());
                        replaced++;
                    }
                } catch (IOException unreadable) {
                    throw new IllegalStateException("unreadable ended call in Redis under " + key, unreadable);
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return replaced;
    }

    /** A tenant id as a literal inside a SCAN pattern. */
    private static String globEscaped(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char character : text.toCharArray()) {
            if (character == '*' || character == '?' || character == '[' || character == ']' || character == '\\') {
                escaped.append('\\');
            }
            escaped.append(character);
        }
        return escaped.toString();
    }

    @Override
    public Set<String> tenants() {
        return new TreeSet<>(available(() -> redis.smembers(PREFIX + "tenants")));
    }

    @Override
    public java.util.Map<String, Boolean> dependencies() {
        boolean answers;
        try {
            answers = "PONG".equalsIgnoreCase(redis.ping());
        } catch (RuntimeException unreachable) {
            answers = false;
        }
        return java.util.Map.of("redis", answers);
    }

    @Override
    public void close() {
        redis.close();
    }

    private List<CallSession> sessionsFrom(List<String> members) {
        List<CallSession> sessions = new ArrayList<>();
        for (String member : members) {
            int colon = member.indexOf(':');
            String key = PREFIX + "session:" + member.substring(0, colon) + ":" + member.substring(colon + 1);
            Map<String, String> fields = available(() -> redis.hgetAll(key));
            if (!fields.isEmpty()) { // ended between the two reads
                sessions.add(session(fields::get));
            }
        }
        return sessions;
    }

    private static CallSession session(java.util.function.Function<String, String> field) {
        String started = emptyToNull(field.apply("started_ms"));
        return new CallSession(field.apply("tenant_id"), field.apply("call_id"), Long.parseLong(field.apply("admitted_ms")),
                started == null ? null : Long.parseLong(started), emptyToNull(field.apply("agent_id")),
                emptyToNull(field.apply("direction")), emptyToNull(field.apply("phone_number")),
                field.apply("instructions_source"));
    }

    private static EndedCall endedCall(String json) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (IOException corrupt) {
            throw new IllegalStateException("unreadable ended call in Redis: " + json, corrupt);
        }
        java.util.function.Function<String, String> field = name -> node.path(name).isMissingNode() || node.path(name).isNull()
                ? null : node.path(name).asText();
        CallOutcome outcome = CallOutcome.fromWire(field.apply("outcome")).orElseThrow();
        return new EndedCall(session(field), outcome, Long.parseLong(field.apply("ended_ms")),
                Long.parseLong(field.apply("duration_ms")), emptyToNull(field.apply("end_reason")));
    }

    @SuppressWarnings("unchecked")
    private List<String> run(Script script, List<String> arguments) {
        return available(() -> {
            try {
                return (List<String>) redis.evalsha(script.sha, List.of(), arguments);
            } catch (JedisNoScriptException notLoaded) {
                // First use on this Redis (or it restarted): EVAL sends the text and caches it there.
                return (List<String>) redis.eval(script.text, List.of(), arguments);
            }
        });
    }

    private static <T> T available(Supplier<T> call) {
        try {
            return call.get();
        } catch (JedisException failure) {
            throw new LiveStateUnavailable("live state unavailable: Redis did not answer (" + failure.getMessage() + ")",
                    failure);
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private enum Script {
        ADMIT(RedisScripts.ADMIT), START(RedisScripts.START), END(RedisScripts.END);

        final String text;
        final String sha;

        Script(String text) {
            this.text = text;
            this.sha = sha1(text);
        }

        private static String sha1(String text) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest);
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }
}
