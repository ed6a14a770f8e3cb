package dev.tally.report.spend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bench.EventGenerator;
import dev.tally.event.CallStatus;
import dev.tally.report.DateRange;
import dev.tally.store.rollup.RollupFixture;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The spend overview from the call rollup equals, exactly, the one from the raw calls table. */
class SpendRollupTest {

    @ParameterizedTest(name = "compacted: {0}")
    @ValueSource(booleans = {false, true})
    void rollupAnswersEqualRawAnswers(boolean compacted) {
        try (RollupFixture fixture = new RollupFixture(11, compacted)) {
            SpendQuery rollup = new SpendQuery(fixture.rollups());
            SpendQuery raw = new SpendQuery(fixture.raw());
            SplittableRandom random = new SplittableRandom(5);
            LocalDate last = LocalDate.ofInstant(Instant.ofEpochMilli(RollupFixture.END_MS), ZoneOffset.UTC);
            int nonEmpty = 0;
            for (int question = 0; question < 60; question++) {
                LocalDate from = last.minusDays(random.nextInt(RollupFixture.DAYS + 3));
                DateRange range = new DateRange(from, from.plusDays(random.nextInt(45)));
                String tenant = EventGenerator.TENANTS[random.nextInt(EventGenerator.TENANTS.length)];
                String agent = random.nextBoolean() ? null : "agent-" + random.nextInt(EventGenerator.AGENTS);
                CallStatus status = random.nextInt(3) == 0 ? CallStatus.values()[random.nextInt(3)] : null;
                SpendFilters filters = new SpendFilters(range, agent, status);
                SpendQuery.Spend expected = raw.spend(tenant, filters);
                assertThat(rollup.spend(tenant, filters)).as("%s", filters).isEqualTo(expected);
                nonEmpty += expected.totals().calls() > 0 ? 1 : 0;
            }
            // the comparison means something only if most questions have calls to count
            assertThat(nonEmpty).isGreaterThan(30);
        }
    }
}
