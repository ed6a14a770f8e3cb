package dev.tally.report.contract;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The time buckets of a {@code /calls/stats} answer (spec 003 and its README notes): the granularity
 * chosen from the range when omitted and raised past 10,000 buckets; buckets of whole days start at
 * local midnights; any other granularity counts fixed steps from the start floored to the
 * granularity from its local midnight. Every bucket of the range appears.
 */
final class StatsBuckets {
    private StatsBuckets() {
    }

    static long granularity(StatsQuery query) {
        long rangeSeconds = Duration.between(query.start(), query.end()).toSeconds();
        long range = Duration.between(query.start(), query.end()).toMillis();
        long chosen = query.granularity() != null ? query.granularity()
                : range <= Duration.ofHours(2).toMillis() ? 300
                : range <= Duration.ofHours(12).toMillis() ? 3_600
                : range <= Duration.ofDays(3).toMillis() ? 21_600
                : range <= Duration.ofDays(14).toMillis() ? 43_200 : 86_400;
        return range > 10_000L * chosen * 1_000 ? rangeSeconds / 10_000 + 1 : chosen;
    }

    static List<Instant> starts(StatsQuery query) {
        long granularity = granularity(query);
        List<Instant> starts = new ArrayList<>();
        LocalDate startDay = LocalDate.ofInstant(query.start(), query.zone());
        if (granularity % 86_400 == 0) {
            long days = granularity / 86_400;
            for (LocalDate day = startDay; day.atStartOfDay(query.zone()).toInstant().isBefore(query.end());
                 day = day.plusDays(days)) {
                starts.add(day.atStartOfDay(query.zone()).toInstant());
            }
            return starts;
        }
        Instant midnight = startDay.atStartOfDay(query.zone()).toInstant();
        long step = granularity * 1_000;
        long sinceMidnight = Duration.between(midnight, query.start()).toMillis();
        for (Instant bucket = midnight.plusMillis(sinceMidnight / step * step); bucket.isBefore(query.end());
             bucket = bucket.plusMillis(step)) {
            starts.add(bucket);
        }
        return starts;
    }

    /** The bucket an instant of the range falls in: the last that starts at or before it. */
    static int index(List<Instant> starts, Instant time) {
        int index = 0;
        while (index + 1 < starts.size() && !starts.get(index + 1).isAfter(time)) {
            index++;
        }
        return index;
    }
}
