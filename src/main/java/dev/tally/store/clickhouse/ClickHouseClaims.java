package dev.tally.store.clickhouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.store.sql.Row;
import dev.tally.store.sql.SqlBuilder;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * "Only one instance does this", without transactions: each instance claims the ids with its
 * wall-clock time and a token of its own, waits {@link #SETTLE_MS}, and wins an id when its claim is
 * the earliest of the last minute. That holds while the instances' clocks agree and a claim's insert
 * takes less than the wait (both far within it on one network); a winner that dies before doing
 * the work blocks the id for a minute, not for ever.
 */
final class ClickHouseClaims {
    static final String COLUMNS = "id String, token String, claimed_us Int64";
    /** Longer than a claim's insert takes and than the instances' clocks differ. */
    static final long SETTLE_MS = 250;
    private static final long LIVE_US = 60_000_000L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ClickHouseHttp http;
    private final String table;

    ClickHouseClaims(ClickHouseHttp http, String table) {
        this.http = http;
        this.table = table;
    }

    /** The ids this instance won, of those it claims: one insert and one wait for all. */
    Set<String> claim(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        Map<String, String> tokens = new HashMap<>();
        long claimedUs = System.currentTimeMillis() * 1_000 + Math.floorMod(System.nanoTime() / 1_000, 1_000);
        StringBuilder rows = new StringBuilder();
        try {
            for (String id : ids) {
                String token = UUID.randomUUID().toString();
                tokens.put(id, token);
                rows.append(MAPPER.writeValueAsString(MAPPER.createObjectNode().put("id", id).put("token", token)
                        .put("claimed_us", claimedUs))).append('\n');
            }
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
        http.insert(table, rows.toString());
        try {
            Thread.sleep(SETTLE_MS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ClickHouseException("interrupted while claiming " + ids, interrupted);
        }
        List<Row> claims = http.query(ClickHouseLiterals.bind(new SqlBuilder()
                .append("SELECT id, token, claimed_us FROM " + table + " WHERE id IN ").values(tokens.keySet())
                .append(" AND claimed_us > ").value(claimedUs - LIVE_US).build()));
        Map<String, Row> earliest = new HashMap<>();
        Comparator<Row> order = Comparator.<Row>comparingLong(row -> row.longValue("claimed_us"))
                .thenComparing(row -> row.string("token"));
        for (Row claim : claims) {
            earliest.merge(claim.string("id"), claim, (one, other) -> order.compare(one, other) <= 0 ? one : other);
        }
        Set<String> won = new HashSet<>();
        tokens.forEach((id, token) -> {
            Row first = earliest.get(id);
            if (first != null && token.equals(first.string("token"))) {
                won.add(id);
            }
        });
        return won;
    }
}
