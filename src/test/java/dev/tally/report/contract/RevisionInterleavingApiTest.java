package dev.tally.report.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.testing.TestServer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Late corrections in any order: a seed's stored events are taken as final versions, many of them
 * given earlier revisions (other counts, times, members, statuses) and repeats, and every version
 * is sent to one server shuffled across random batches, while another server takes the final
 * versions alone. Every report, on every store this runs on, must answer both servers exactly
 * alike, and as the plain computation over the final versions.
 */
class RevisionInterleavingApiTest {

    static Stream<Long> seeds() {
        return "clickhouse".equals(System.getProperty(TestServer.STORE_PROPERTY)) ? Stream.of(77L)
                : Stream.of(77L, 4242L);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anyInterleavingOfRevisionsReportsAsTheFinalVersionsAlone(long seed) {
        Dataset base = DatasetGenerator.generate(seed, false);
        Random random = new Random(seed);
        Map<String, List<ObjectNode>> finals = new LinkedHashMap<>();
        Map<String, List<List<ObjectNode>>> interleaved = new LinkedHashMap<>();
        StoredState stored = new StoredState(base);
        RandomEvents versions = new RandomEvents(random, new RandomMoments(random, base.windowStart(),
                base.windowEnd()));
        int earlier = 0;
        for (String tenant : stored.tenants()) {
            List<ObjectNode> last = new ArrayList<>();
            List<ObjectNode> every = new ArrayList<>();
            for (JsonNode event : stored.all(tenant)) {
                int before = random.nextInt(10) < 4 ? 1 + random.nextInt(3) : 0;
                // a final revision above every earlier one, so no two versions of an id share one
                ObjectNode version = ((ObjectNode) event).deepCopy().put("revision", before);
                last.add(version);
                every.add(version);
                for (int revision = 0; revision < before; revision++) {
                    every.add(earlierVersion(versions, (ObjectNode) event, revision, random));
                    earlier++;
                }
                if (random.nextInt(10) == 0) {
                    every.add(version.deepCopy());
                }
            }
            Collections.shuffle(every, random);
            List<List<ObjectNode>> batches = new ArrayList<>();
            int first = random.nextInt(every.size() + 1);
            int second = first + random.nextInt(every.size() - first + 1);
            batches.add(every.subList(0, first));
            batches.add(every.subList(first, second));
            batches.add(every.subList(second, every.size()));
            interleaved.put(tenant, batches);
            finals.put(tenant, last);
        }
        org.assertj.core.api.Assertions.assertThat(earlier).as("earlier revisions sent").isGreaterThan(100);
        Map<String, List<List<ObjectNode>>> finalBatches = new LinkedHashMap<>();
        finals.forEach((tenant, events) -> finalBatches.put(tenant, List.of(events, List.of(), List.of())));
        try (ContractScenario alone = new ContractScenario(new Dataset(seed, base.firstDay(), base.days(),
                base.priceChangeDay(), finalBatches));
             ContractScenario shuffled = new ContractScenario(new Dataset(seed, base.firstDay(), base.days(),
                     base.priceChangeDay(), interleaved))) {
            for (String path : paths(base)) {
                for (String tenant : Dataset.TENANTS) {
                    String request = path.replace("{tenant}", tenant);
                    JsonNode expected = alone.get(request, alone.readerKey(tenant));
                    shuffled.assertAnswer(request, expected, shuffled.get(request, shuffled.readerKey(tenant)));
                }
            }
            String tokens = "/admin/analytics/tokens/by-assistant?start_date=" + base.firstDay() + "&end_date="
                    + base.lastDay().plusDays(1);
            shuffled.assertAnswer(tokens, alone.get(tokens, alone.superAdminKey()),
                    shuffled.get(tokens, shuffled.superAdminKey()));
            StatsQueries stats = new StatsQueries(new Random(seed), base);
            for (String tenant : Dataset.TENANTS) {
                for (int query = 0; query < 4; query++) {
                    ObjectNode body = stats.next(tenant).body();
                    shuffled.assertAnswer("POST /calls/stats " + body, alone.postStats(body, alone.readerKey(tenant)),
                            shuffled.postStats(body, shuffled.readerKey(tenant)));
                }
            }
            // and as the plain computation over the final versions
            LocalDate from = base.firstDay();
            LocalDate to = base.lastDay();
            for (String tenant : Dataset.TENANTS) {
                String spend = "/v1/analytics/spend?from=" + from + "&to=" + to;
                shuffled.assertAnswer(spend, SpendOracle.expected(shuffled.stored, tenant, from, to, null, null),
                        shuffled.get(spend, shuffled.readerKey(tenant)));
            }
        }
    }

    /**
     * An earlier revision of an event: altered counts and time, for a call another status and cost;
     * what a platform sent before its correction.
     */
    private static ObjectNode earlierVersion(RandomEvents versions, ObjectNode event, int revision, Random random) {
        if (!"call".equals(EventFields.type(event))) {
            return versions.corrected(event, revision);
        }
        if (random.nextBoolean()) {
            ObjectNode open = versions.inProgress(event);
            open.remove(List.of("ended_at", "duration_seconds", "cost_usd", "sentiment"));
            return open.put("revision", revision);
        }
        return versions.finished(event, random.nextBoolean() ? "completed" : "failed").put("revision", revision);
    }

    /** Every tenant-scoped report over the whole window and the day before and after, {@code {tenant}} for the tenant. */
    private static List<String> paths(Dataset dataset) {
        String from = dataset.firstDay().minusDays(1).toString();
        String to = dataset.lastDay().plusDays(1).toString();
        List<String> paths = new ArrayList<>(List.of("/v1/analytics/spend?from=" + from + "&to=" + to,
                "/v1/analytics/spend?from=" + dataset.firstDay().plusDays(1) + "&to=" + dataset.firstDay().plusDays(1)));
        for (String report : List.of("ai-usage", "sms-usage", "phone-usage", "voice-usage")) {
            paths.add("/api/v2/w/{tenant}/reports/" + report + "?start_date=" + from + "&end_date=" + to);
        }
        for (String member : Dataset.MEMBERS) {
            paths.add("/api/v2/w/{tenant}/reports/member-usage/" + member + "?start_date=" + from + "&end_date=" + to);
        }
        return paths;
    }
}
