package dev.tally.report.contract;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The randomized half of issue #13's ReportsContract: each seed generates a few hundred events per
 * tenant, sends them through the HTTP API (with call updates, retries, altered retries and late
 * events), asks every report over HTTP for random ranges and filters, and compares each answer field
 * by field with the same report computed in plain Java from the generated events and the documents.
 * The pom runs it on DuckDB with rollups, DuckDB without and the two-shard ClickHouse cluster.
 *
 * <p>Seeds: a fixed few plus one new each run, so the build is repeatable and still explores; a
 * failure names its seed, and {@code -Dtally.contract.seeds=N[,M…]} runs just those.
 */
class ReportsContractApiTest {
    private static final List<Long> FIXED_SEEDS = List.of(11L, 2026L, 31337L);
    private static final Map<Long, ContractScenario> SCENARIOS = new ConcurrentHashMap<>();

    static Stream<Long> seeds() {
        String chosen = System.getProperty(ContractScenario.SEEDS_PROPERTY, "");
        if (!chosen.isBlank()) {
            return Arrays.stream(chosen.split(",")).map(String::trim).map(Long::parseLong);
        }
        return Stream.concat(FIXED_SEEDS.stream(), Stream.of(System.nanoTime() % 1_000_000));
    }

    /** One server per seed, shared by the reports, so each seed's events are sent once. */
    private static ContractScenario scenario(long seed) {
        return SCENARIOS.computeIfAbsent(seed, ContractScenario::load);
    }

    /** Queries of each report drawn from their own stream, so a seed asks the same whatever runs before. */
    private static Random queries(long seed, String report) {
        return new Random(seed * 1_000_003L + report.hashCode());
    }

    @AfterAll
    static void stopServers() {
        SCENARIOS.values().forEach(ContractScenario::close);
        SCENARIOS.clear();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void spendMatchesThePlainComputation(long seed) {
        ContractScenario scenario = scenario(seed);
        Random random = queries(seed, "spend");
        Dataset dataset = scenario.dataset;
        for (String tenant : Dataset.TENANTS) {
            for (int query = 0; query < 6; query++) {
                LocalDate from = dataset.firstDay().plusDays(random.nextInt(dataset.days() + 1) - 1);
                LocalDate to = from.plusDays(random.nextInt((int) (dataset.lastDay().toEpochDay() - from.toEpochDay()) + 2));
                String agent = random.nextInt(10) < 4 ? null
                        : random.nextInt(8) == 0 ? "nobody" : Dataset.AGENTS.get(random.nextInt(Dataset.AGENTS.size()));
                String status = random.nextBoolean() ? null : List.of("completed", "failed", "in_progress")
                        .get(random.nextInt(3));
                String path = "/v1/analytics/spend?from=" + from + "&to=" + to + (agent == null ? "" : "&agent_id=" + agent)
                        + (status == null ? "" : "&status=" + status);
                scenario.assertAnswer(path, SpendOracle.expected(scenario.stored, tenant, from, to, agent, status),
                        scenario.get(path, scenario.readerKey(tenant)));
            }
        }
        // without parameters: the thirty days before today through today, which hold every event
        LocalDate today = LocalDate.ofInstant(Dataset.NOW, java.time.ZoneOffset.UTC);
        scenario.assertAnswer("/v1/analytics/spend", SpendOracle.expected(scenario.stored, "acme",
                today.minusDays(30), today, null, null), scenario.get("/v1/analytics/spend", scenario.readerKey("acme")));
    }
}
