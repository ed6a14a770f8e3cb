package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Rfc3339Test {

    @Test
    void readsTheCommonFormsByHand() {
        assertThat(Rfc3339.epochMillis("1970-01-01T00:00:00Z")).isEqualTo(0L);
        assertThat(Rfc3339.epochMillis("1970-01-01T00:00:01.5Z")).isEqualTo(1_500L);
        assertThat(Rfc3339.epochMillis("1970-01-02T00:00:00+01:00")).isEqualTo(82_800_000L);
        assertThat(Rfc3339.epochMillis("1969-12-31T23:59:59.999999999-00:30")).isEqualTo(1_799_999L);
        assertThat(Rfc3339.epochMillis("2024-02-29T12:00:00.123Z")).isEqualTo(1_709_208_000_123L);
    }

    @Test
    void agreesWithTheFormatterOnEveryInput() {
        List<String> inputs = new java.util.ArrayList<>(List.of("2026-03-01T12:00:00Z", "2026-03-01t12:00:00z",
                "2026-03-01T12:00Z", "2026-03-01T12:00:00.Z", "2026-03-01T12:00:00.1234567891Z",
                "2026-02-29T12:00:00Z", "2024-02-30T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T23:60:00Z",
                "2026-01-01T23:59:60Z", "2026-01-01T12:00:00+18:00", "2026-01-01T12:00:00-18:00",
                "2026-01-01T12:00:00+18:01", "2026-01-01T12:00:00+17:59", "2026-01-01T12:00:00+05:30:15",
                "2026-01-01T12:00:00+0530", "2026-01-01T12:00:00", "2026-01-01 12:00:00Z", "0999-01-01T00:00:00Z",
                "+12026-01-01T00:00:00Z", "2026-1-01T00:00:00Z", "2026-01-01T00:00:00+1:00", "２026-01-01T00:00:00Z",
                "2026-01-01T00:00:00ZZ", "2026-01-01T00:00:00.5+01:00", "2100-02-29T00:00:00Z", "2000-02-29T00:00:00Z"));
        SplittableRandom random = new SplittableRandom(7);
        for (int index = 0; index < 2000; index++) {
            inputs.add(String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", random.nextInt(1000, 10000),
                    random.nextInt(0, 14), random.nextInt(0, 33), random.nextInt(0, 25), random.nextInt(0, 61),
                    random.nextInt(0, 61), random.nextBoolean() ? "." + random.nextInt(0, 1_000_000) : "",
                    random.nextBoolean() ? "Z" : String.format("%s%02d:%02d", random.nextBoolean() ? "+" : "-",
                            random.nextInt(0, 19), random.nextInt(0, 61))));
        }
        for (String input : inputs) {
            Long expected;
            try {
                expected = OffsetDateTime.parse(input, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
            } catch (DateTimeParseException rejected) {
                expected = null;
            }
            if (expected == null) {
                assertThatThrownBy(() -> Rfc3339.epochMillis(input)).as(input).isInstanceOf(DateTimeParseException.class);
            } else {
                assertThat(Rfc3339.epochMillis(input)).as(input).isEqualTo(expected);
            }
        }
    }
}
