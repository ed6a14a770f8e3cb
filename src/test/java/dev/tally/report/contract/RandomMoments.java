package dev.tally.report.contract;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;

/**
 * Random instants in a window of days, drawn often right at, just before or just after a UTC
 * midnight or hour, where a report's day, hour or rollup boundary is; and written with random
 * offsets, since an event's time is stored in UTC whatever offset it was sent with.
 */
record RandomMoments(Random random, Instant start, Instant end) {
    private static final List<Long> OFFSETS_FROM_BOUNDARY_MILLIS = List.of(-60_000L, -1_000L, -1L, 0L, 0L, 1L, 999L,
            1_000L, 59_999L);
    private static final List<ZoneOffset> SENT_OFFSETS = List.of(ZoneOffset.UTC, ZoneOffset.UTC,
            ZoneOffset.ofHoursMinutes(5, 30), ZoneOffset.ofHours(-7), ZoneOffset.ofHoursMinutes(-3, -30));
    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

    /** An instant in [start, end). */
    Instant next() {
        long span = end.toEpochMilli() - start.toEpochMilli();
        if (random.nextInt(10) < 3) {
            long hours = span / 3_600_000;
            long boundary = random.nextBoolean() ? random.nextLong(hours / 24 + 1) * 86_400_000
                    : random.nextLong(hours + 1) * 3_600_000;
            long offset = OFFSETS_FROM_BOUNDARY_MILLIS.get(random.nextInt(OFFSETS_FROM_BOUNDARY_MILLIS.size()));
            return start.plusMillis(Math.max(0, Math.min(span - 1, boundary + offset)));
        }
        return start.plusMillis(random.nextLong(span));
    }

    /** An instant in [start − margin, end + margin), for query ranges that also reach past the data. */
    Instant around(long marginMillis) {
        long span = end.toEpochMilli() - start.toEpochMilli() + 2 * marginMillis;
        Instant moment = start.minusMillis(marginMillis).plusMillis(random.nextLong(span));
        // whole seconds half of the time, so whole-hour and whole-minute starts occur as well as odd ones
        return random.nextBoolean() ? moment : Instant.ofEpochSecond(moment.getEpochSecond() / 60 * 60);
    }

    String format(Instant moment) {
        ZoneOffset offset = SENT_OFFSETS.get(random.nextInt(SENT_OFFSETS.size()));
        return RFC_3339.format(moment.atOffset(offset));
    }
}
