package dev.tally.report.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bench.EventGenerator;
import dev.tally.store.rollup.RollupFixture;
import dev.tally.store.rollup.Rollups;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tokens by assistant from the rollups equals the raw answer exactly, for day-aligned ranges (the
 * rollup path) and for ranges cut mid-day (which read the raw tables in both cases).
 */
class TokenRollupTest {

    @ParameterizedTest(name = "compacted: {0}")
    @ValueSource(booleans = {false, true})
    void rollupAnswersEqualRawAnswers(boolean compacted) {
        try (RollupFixture fixture = new RollupFixture(12, compacted)) {
            TokenQuery rollup = new TokenQuery(fixture.rollups());
            TokenQuery raw = new TokenQuery(fixture.raw());
            SplittableRandom random = new SplittableRandom(6);
            for (int question = 0; question < 40; question++) {
                long endDay = Rollups.day(RollupFixture.END_MS) + 1 - random.nextInt(RollupFixture.DAYS);
                long startDay = endDay - 1 - random.nextInt(45);
                long cut = question % 4 == 0 ? random.nextInt(86_400_000) : 0;
                TokenFilters filters = new TokenFilters(Instant.ofEpochMilli(startDay * Rollups.DAY_MS + cut),
                        Instant.ofEpochMilli(endDay * Rollups.DAY_MS), null,
                        random.nextBoolean() ? null : EventGenerator.TENANTS[random.nextInt(3)]);
                List<TokenQuery.EventTotals> expected = sorted(raw.events(filters));
                assertThat(sorted(rollup.events(filters))).as("events %s", filters).isEqualTo(expected)
                        .isNotEmpty();
                assertThat(sortedCalls(rollup.calls(filters))).as("calls %s", filters)
                        .isEqualTo(sortedCalls(raw.calls(filters)));
            }
        }
    }

    private static List<TokenQuery.EventTotals> sorted(List<TokenQuery.EventTotals> totals) {
        return totals.stream().sorted(Comparator.comparing(TokenQuery.EventTotals::agentId)).toList();
    }

    private static List<TokenQuery.CallTotals> sortedCalls(List<TokenQuery.CallTotals> totals) {
        return totals.stream().sorted(Comparator.comparing(TokenQuery.CallTotals::agentId)).toList();
    }
}
