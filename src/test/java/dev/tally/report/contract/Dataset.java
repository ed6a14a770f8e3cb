package dev.tally.report.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What one seed generates: the tenants' batches in the order they are sent (a later batch holds
 * call updates, retries, corrections and late events), and the window of days the events fall in.
 * The expected answers are computed from these batches only, never from what the generator meant.
 * One seed in four adds the {@link #CROWD} tenants, with a few events each in their first batch.
 */
record Dataset(long seed, LocalDate firstDay, int days, LocalDate priceChangeDay,
               Map<String, List<List<ObjectNode>>> batchesByTenant) {
    static final Instant NOW = Instant.parse("2026-05-20T12:00:00Z");
    static final List<String> TENANTS = List.of("acme", "globex", "initech");
    /**
     * Small tenants beside the three: with them a report across tenants (tokens by assistant) reads
     * more tenants than ClickHouse reads from rollups in one go (50).
     */
    static final List<String> CROWD = IntStream.rangeClosed(1, 52).mapToObj("crowd-%02d"::formatted).toList();
    static final List<String> AGENTS = List.of("sales", "support", "triage", "billing", "outreach");
    static final List<String> USERS = List.of("alice@example.com", "bob@example.com", "carol@example.com");
    static final List<String> MEMBERS = List.of("mem-ann", "mem-ben", "mem-cat", "mem-dan");
    static final List<String> PHONES = List.of("+15550001111", "+15550002222", "+442071234567");

    Instant windowStart() {
        return firstDay.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    Instant windowEnd() {
        return firstDay.plusDays(days).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    LocalDate lastDay() {
        return firstDay.plusDays(days - 1);
    }
}
