package dev.tally.live;

/**
 * The Lua scripts behind {@link RedisLiveState}. Redis runs each script alone, so a script's reads
 * and writes are one atomic step for every Tally instance sharing the server: that is what makes the
 * capacity check and the slot it takes indivisible, and deduplication exact.
 *
 * <p>Keys are built inside the scripts (tenant ids never contain ':'), which needs a single Redis
 * server, not a Redis Cluster. Every counter is kept twice, per tenant and in total, so reading the
 * platform's metrics costs one hash read.
 */
final class RedisScripts {
    private RedisScripts() {
    }

    private static final String COMMON = """
            local p = ARGV[1]
            local tenant = ARGV[2]
            local function count(field, by)
              -- formatted so large millisecond sums never reach Redis as floating-point text
              local amount = string.format('%d', by)
              redis.call('HINCRBY', p .. 'counters:' .. tenant, field, amount)
              redis.call('HINCRBY', p .. 'counters', field, amount)
            end
            """;

    /**
     * ARGV: prefix, tenant, event id, call id, now, global limit, tenant limit (-1: none), rejection
     * decided before capacity ('' for none; its counter is rejected_calls_<reason>), db error (0/1), fallback used (0/1), accepted answer, remember ms,
     * agent, direction, phone, instructions source. Returns {change, stored answer}.
     */
    static final String ADMIT = COMMON + """
            local eventId, callId, now = ARGV[3], ARGV[4], ARGV[5]
            local globalLimit, tenantLimit = tonumber(ARGV[6]), tonumber(ARGV[7])
            local rejectBefore, dbError, fallback = ARGV[8], ARGV[9] == '1', ARGV[10] == '1'
            local eventKey = p .. 'event:' .. tenant .. ':' .. eventId
            local previous = redis.call('GET', eventKey)
            if previous then return {'DUPLICATE', previous} end
            local sessionKey = p .. 'session:' .. tenant .. ':' .. callId
            if redis.call('EXISTS', sessionKey) == 1 then return {'CALL_ACTIVE', ''} end
            redis.call('SADD', p .. 'tenants', tenant)
            if dbError then count('instructions_db_errors', 1) end
            local answer
            if rejectBefore ~= '' then
              count('rejected_calls_' .. rejectBefore, 1)
              answer = 'R:' .. rejectBefore
            else
              local heldTotal = tonumber(redis.call('HGET', p .. 'counters', 'held_slots') or '0')
              local heldTenant = tonumber(redis.call('HGET', p .. 'counters:' .. tenant, 'held_slots') or '0')
              if heldTotal >= globalLimit or (tenantLimit >= 0 and heldTenant >= tenantLimit) then
                count('rejected_calls_capacity', 1)
                answer = 'R:capacity'
              else
                count('accepted_calls', 1)
                count('held_slots', 1)
                count('pending_calls', 1)
                if fallback then count('fallback_instructions_used', 1) end
                redis.call('HSET', sessionKey, 'tenant_id', tenant, 'call_id', callId, 'admitted_ms', now,
                  'agent_id', ARGV[13], 'direction', ARGV[14], 'phone_number', ARGV[15],
                  'instructions_source', ARGV[16])
                redis.call('ZADD', p .. 'sessions', now, tenant .. ':' .. callId)
                answer = 'A:' .. ARGV[11]
              end
            end
            redis.call('SET', eventKey, answer, 'PX', ARGV[12])
            return {'NEW', answer}
            """;

    /** ARGV: prefix, tenant, event id, call id, now, remember ms. Returns {change, started ms}. */
    static final String START = COMMON + """
            local eventId, callId, now = ARGV[3], ARGV[4], ARGV[5]
            local eventKey = p .. 'event:' .. tenant .. ':' .. eventId
            local previous = redis.call('GET', eventKey)
            if previous then return {'DUPLICATE', previous} end
            local sessionKey = p .. 'session:' .. tenant .. ':' .. callId
            if redis.call('EXISTS', sessionKey) == 0 then return {'UNKNOWN_CALL', '0'} end
            local started = redis.call('HGET', sessionKey, 'started_ms')
            if started then
              redis.call('SET', eventKey, started, 'PX', ARGV[6])
              return {'DUPLICATE', started}
            end
            redis.call('HSET', sessionKey, 'started_ms', now)
            count('started_calls', 1)
            count('active_calls', 1)
            count('pending_calls', -1)
            count('started_ms_sum', now)
            redis.call('SET', eventKey, now, 'PX', ARGV[6])
            return {'NEW', now}
            """;

    /**
     * ARGV: prefix, tenant, event id, call id, now, remember ms, outcome, duration ms (-1: measure),
     * end reason. Returns {change, ended call as JSON}.
     */
    static final String END = COMMON + """
            local eventId, callId, now = ARGV[3], ARGV[4], tonumber(ARGV[5])
            local outcome, reportedDuration, endReason = ARGV[7], tonumber(ARGV[8]), ARGV[9]
            local eventKey = p .. 'event:' .. tenant .. ':' .. eventId
            local previous = redis.call('GET', eventKey)
            if previous then return {'DUPLICATE', previous} end
            local sessionKey = p .. 'session:' .. tenant .. ':' .. callId
            local endedKey = p .. 'ended:' .. tenant .. ':' .. callId
            if redis.call('EXISTS', sessionKey) == 0 then
              local ended = redis.call('GET', endedKey)
              if ended then return {'DUPLICATE', ended} end
              return {'UNKNOWN_CALL', ''}
            end
            local fields = redis.call('HGETALL', sessionKey)
            local session = {}
            for index = 1, #fields, 2 do session[fields[index]] = fields[index + 1] end
            local started = tonumber(session['started_ms'])
            local duration = reportedDuration
            if duration < 0 then
              if started then duration = math.max(0, now - started) else duration = 0 end
            end
            count('ended_calls', 1)
            if outcome == 'failed' then count('failed_calls', 1) end
            if outcome == 'referred' then count('referred_calls', 1) end
            count('held_slots', -1)
            if started then
              count('active_calls', -1)
              count('started_ms_sum', -started)
            else
              count('pending_calls', -1)
            end
            count('ended_duration_ms', duration)
            redis.call('DEL', sessionKey)
            redis.call('ZREM', p .. 'sessions', tenant .. ':' .. callId)
            session['outcome'] = outcome
            session['ended_ms'] = string.format('%d', now)
            session['duration_ms'] = string.format('%d', duration)
            session['end_reason'] = endReason
            local ended = cjson.encode(session)
            redis.call('SET', eventKey, ended, 'PX', ARGV[6])
            redis.call('SET', endedKey, ended, 'PX', ARGV[6])
            return {'NEW', ended}
            """;
}
