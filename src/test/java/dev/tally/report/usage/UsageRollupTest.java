package dev.tally.report.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.bench.EventGenerator;
import dev.tally.report.DateRange;
import dev.tally.store.rollup.RollupFixture;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The AI, SMS, phone and voice usage reports from the rollups equal, exactly, the ones from raw events. */
class UsageRollupTest {

    @ParameterizedTest(name = "compacted: {0}")
    @ValueSource(booleans = {false, true})
    void rollupAnswersEqualRawAnswers(boolean compacted) {
        try (RollupFixture fixture = new RollupFixture(13, compacted)) {
            SplittableRandom random = new SplittableRandom(7);
            LocalDate last = LocalDate.ofInstant(Instant.ofEpochMilli(RollupFixture.END_MS), ZoneOffset.UTC);
            for (int question = 0; question < 40; question++) {
                LocalDate from = last.minusDays(random.nextInt(RollupFixture.DAYS + 3));
                DateRange range = new DateRange(from, from.plusDays(random.nextInt(45)));
                String tenant = EventGenerator.TENANTS[random.nextInt(EventGenerator.TENANTS.length)];
                AiUsageReport ai = new AiUsageQuery(fixture.raw()).run(tenant, range);
                assertThat(new AiUsageQuery(fixture.rollups()).run(tenant, range)).as("ai %s %s", tenant, range)
                        .isEqualTo(ai);
                assertThat(new SmsUsageQuery(fixture.rollups()).run(tenant, range)).as("sms %s %s", tenant, range)
                        .isEqualTo(new SmsUsageQuery(fixture.raw()).run(tenant, range));
                assertThat(new PhoneUsageQuery(fixture.rollups()).run(tenant, range)).as("phone %s %s", tenant, range)
                        .isEqualTo(new PhoneUsageQuery(fixture.raw()).run(tenant, range));
                assertThat(new VoiceUsageQuery(fixture.rollups()).run(tenant, range)).as("voice %s %s", tenant, range)
                        .isEqualTo(new VoiceUsageQuery(fixture.raw()).run(tenant, range));
                if (question == 0) {
                    assertThat(ai.byProvider()).isNotEmpty();
                }
            }
        }
    }
}
