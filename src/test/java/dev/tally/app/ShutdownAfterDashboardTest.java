package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An idle server stops in under two seconds whatever was asked of it before, static files included:
 * an orchestrator's grace period must cover the writer's flush and the checkpoint, not a wait for
 * requests that ended long ago.
 */
class ShutdownAfterDashboardTest {

    @Test
    void anIdleServerStopsFastAfterTheDashboardWasOpened(@TempDir Path directory) {
        TestServer server = TestServer.start(Clock.systemUTC(), directory);
        server.createTenant("acme", "Acme");
        String key = server.createKey("acme", "events:write");
        assertThat(server.ingest(key, "[{\"id\":\"s1\",\"type\":\"chat\",\"time\":\"2026-03-01T00:00:00Z\"}]")
                .path("accepted").asInt()).isEqualTo(1);

        HttpResponse<String> page = server.get("/dashboard/");
        assertThat(page.statusCode()).isEqualTo(200);
        List<String> opened = new java.util.ArrayList<>(List.of("/", "/dashboard/", "/docs", "/openapi.json",
                "/dashboard/missing.js", "/api/v1/health"));
        Matcher assets = Pattern.compile("(?:src|href)=\"([^\"#:]+)\"").matcher(page.body());
        while (assets.find()) {
            String asset = assets.group(1);
            opened.add(asset.startsWith("/") ? asset : "/dashboard/" + asset);
        }
        assertThat(opened.size()).isGreaterThan(7);
        for (String path : opened) {
            assertThat(server.get(path).statusCode()).as(path).isLessThan(500);
        }

        long started = System.nanoTime();
        server.close();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(tookMillis).as("stop after " + opened.size() + " dashboard requests").isLessThan(2_000);

        TestServer reopened = TestServer.start(Clock.systemUTC(), directory);
        try {
            assertThat(dev.tally.testing.StoredEvents.count(reopened.tally().events(), "events", "acme")).isEqualTo(1);
        } finally {
            reopened.close();
        }
    }
}
