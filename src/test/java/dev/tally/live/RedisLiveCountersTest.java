package dev.tally.live;

import dev.tally.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisLiveCountersTest extends LiveCountersContract {
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    LiveState newState() {
        redis.flushAll();
        return new RedisLiveState(redis.url(), 86_400_000L);
    }
}
