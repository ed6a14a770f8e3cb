package dev.tally.store.clickhouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.store.ErasedSubject;
import dev.tally.store.SubjectErasure;
import dev.tally.store.json.AttributesJson;
import dev.tally.store.sql.Row;
import dev.tally.tenant.ErasureSubject;
import dev.tally.text.WireName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Erasure of a data subject in ClickHouse. There is no transaction across tables here, so the
 * rewrite is ordered instead, every step idempotent:
 * <ol>
 * <li>The hours of the subject's rows are marked, as by any write: reads derive them from the raw
 *     rows until they are recomputed.</li>
 * <li>Rows whose sorting key holds the identifier are copied under the pseudonym
 *     ({@link ClickHouseKeyedRows}): the call's row and states, a member's chat owners, and a
 *     member's usage rows of the hours before a retention horizon, which are never recomputed.</li>
 * <li>On every node, one mutation per table holding the subject's rows: {@code UPDATE} of every
 *     column that may hold the identifier and is no key (found in the catalog, so a table added
 *     later is not forgotten), the attributes and SMS bodies of the raw rows that named the subject
 *     cleared, the originals of the copied rows deleted; awaited.</li>
 * <li>The hours are marked again, so no recomputation that read the raw rows half rewritten is
 *     used, and the member usage rows of an erased member and the part sums of an erased call (their
 *     key) are deleted: those hours are read from the raw rows until the worker recomputes them
 *     under the pseudonym. The tombstones over an erased call's old key go now, once the rows they
 *     hid are gone.</li>
 * <li>If any row still names the subject (a row written meanwhile by another instance, a
 *     recomputation that inserted behind a mutation), the pass runs again.</li>
 * <li>Last, the subject is recorded in {@value #TABLE}: a subject listed there is erased
 *     everywhere.</li>
 * </ol>
 * A crash mid-way can leave the subject half rewritten (some tables under the pseudonym, a copy
 * beside its original, hidden by a tombstone or a tie of revisions), never counted twice by a
 * report; it is not listed as erased, and submitting the erasure again finishes it: every step
 * finds only what is left to do. What is not exact meanwhile: an erased call's row may be under
 * the pseudonym while its parts still name the identifier (or the other way round), so the
 * call's own cost shows apart from its parts until the pass ends; every total stands.
 */
final class ClickHouseErasure {
    static final String TABLE = "erased_subjects";
    static final String COLUMNS = "tenant_id String, subject String, pseudonym String, erasure_id String,"
            + " erased_ms Int64";
    /** The tables of events as sent, with the copies an upgrade left of them: attributes and SMS bodies go too. */
    private static final Set<String> RAW_TABLES = Set.of("events", "calls", ClickHouseSchema.EVENTS_BEFORE_REVISIONS,
            ClickHouseSchema.CALLS_BEFORE_TIME_ORDER);
    private static final int PASSES = 3;
    private static final long HOUR_MS = 3_600_000L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ClickHouseHttp http;
    private final ClickHouseRollups rollups;
    private final ClickHouseKeyedRows keyedRows;
    /** For failure-injection tests: called at each step of every pass; production never throws there. */
    private volatile Consumer<ClickHouseErasureStep> faults = step -> { };

    ClickHouseErasure(ClickHouseHttp http, ClickHouseRollups rollups, ClickHouseKnownIds knownIds) {
        this.http = http;
        this.rollups = rollups;
        this.keyedRows = new ClickHouseKeyedRows(http, knownIds);
    }

    void injectFaults(Consumer<ClickHouseErasureStep> faults) {
        this.faults = faults == null ? step -> { } : faults;
    }

    Map<String, Long> erase(SubjectErasure erasure, long nowMs) {
        List<LocalTable> tables = LocalTable.withTenants(http);
        refuseKeyColumns(tables, erasure);
        Map<LocalTable, Long> found = found(tables, erasure);
        Map<String, Long> rows = new TreeMap<>();
        found.forEach((table, count) -> rows.merge(table.logical(), count, Long::sum));
        for (int pass = 1; !found.isEmpty(); pass++) {
            if (pass > PASSES) {
                throw new ClickHouseException("rows still name the subject after " + PASSES + " passes ("
                        + found.size() + " tables); nothing is recorded as erased: submit the erasure again", null);
            }
            // again at each pass: rows another instance wrote meanwhile may be in other hours
            Set<ClickHouseRollups.TenantHour> hours = hours(erasure);
            rollups.mark(hours, true);
            rewrite(found.keySet(), erasure, hours);
            found = found(tables, erasure);
        }
        http.insert(TABLE, MAPPER.createObjectNode()
                .put("tenant_id", erasure.tenantId()).put("subject", erasure.subject().wireName())
                .put("pseudonym", erasure.pseudonym()).put("erasure_id", erasure.erasureId()).put("erased_ms", nowMs)
                .toString());
        return rows;
    }

    List<ErasedSubject> list() {
        List<ErasedSubject> subjects = new ArrayList<>();
        for (Row row : http.query("SELECT DISTINCT tenant_id, subject, pseudonym FROM " + TABLE
                + " ORDER BY tenant_id, pseudonym")) {
            ErasureSubject subject = WireName.find(ErasureSubject.values(), row.string("subject"))
                    .orElseThrow(() -> new IllegalStateException("unknown erased subject kind in the store"));
            subjects.add(new ErasedSubject(row.string("tenant_id"), subject, row.string("pseudonym")));
        }
        return subjects;
    }

    /**
     * One pass over the tables that hold rows naming the subject: only those, as a mutation
     * rewrites every part of its table, and a tenant's rows are on one shard.
     */
    private void rewrite(Set<LocalTable> tables, SubjectErasure erasure, Set<ClickHouseRollups.TenantHour> hours) {
        switch (erasure.subject()) {
            case CALL_ID -> keyedRows.moveCall(erasure);
            case MEMBER_ID -> {
                keyedRows.moveChatOwners(erasure);
                keyedRows.copyExpiredMemberUsage(erasure);
            }
            case PHONE_NUMBER, USER_EMAIL -> { }
        }
        faults.accept(ClickHouseErasureStep.KEYED_ROWS_COPIED);
        String tenant = "ifNull(tenant_id, '') = " + literal(erasure.tenantId());
        for (LocalTable table : tables) {
            // one mutation of several commands: one rewrite of the table's parts
            List<String> commands = new ArrayList<>();
            String scrub = scrub(table);
            for (String column : subjectColumns(table, erasure)) {
                if (!table.keyColumns().contains(column)) {
                    commands.add("UPDATE `" + column + "` = " + literal(erasure.pseudonym()) + scrub
                            + " WHERE " + tenant + " AND " + names(column, erasure));
                }
            }
            if (scrub.contains("attributes")) {
                commands.add("UPDATE " + scrub.substring(2) + " WHERE " + tenant + " AND " + namedInAttributes(erasure));
            }
            String keyed = keyedColumn(table, erasure);
            if (keyed != null && !recomputed(table)) {
                // the copies are in, the originals go: of a call, its live rows first, and its tombstones only
                // once those are gone, as a mutation takes one part at a time and must not uncover a live row
                commands.add("DELETE WHERE " + tenant + " AND " + names(keyed, erasure)
                        + (table.logical().equals("calls") ? " AND deleted = 0" : ""));
            }
            if (!commands.isEmpty()) {
                http.executeOn(table.node(), "ALTER TABLE " + table.quoted() + " " + String.join(", ", commands));
            }
        }
        ClickHouseTenantDeletion.awaitMutations(http, "the erased subject's rows are still being rewritten");
        faults.accept(ClickHouseErasureStep.REWRITTEN);
        // the raw rows name only the pseudonym now: a recomputation that read them before is not used
        rollups.mark(hours, true);
        boolean deleted = false;
        for (LocalTable table : tables) {
            String keyed = keyedColumn(table, erasure);
            if (keyed != null && (recomputed(table) || table.logical().equals("calls"))) {
                http.executeOn(table.node(), "ALTER TABLE " + table.quoted() + " DELETE WHERE " + tenant + " AND "
                        + names(keyed, erasure));
                deleted = true;
            }
        }
        if (deleted) {
            ClickHouseTenantDeletion.awaitMutations(http, "the erased subject's last rows are still being removed");
        }
        faults.accept(ClickHouseErasureStep.REMOVED);
    }

    /**
     * The tables, node by node, holding rows that name the subject, with how many: in a column
     * that may hold it, in a key that does, or (raw rows) in an attribute's value.
     */
    private Map<LocalTable, Long> found(List<LocalTable> tables, SubjectErasure erasure) {
        Map<LocalTable, Long> found = new LinkedHashMap<>();
        for (LocalTable table : tables) {
            List<String> conditions = new ArrayList<>();
            subjectColumns(table, erasure).forEach(column -> conditions.add(names(column, erasure)));
            String keyed = keyedColumn(table, erasure);
            if (keyed != null && !conditions.contains(names(keyed, erasure))) {
                conditions.add(names(keyed, erasure));
            }
            if (RAW_TABLES.contains(table.logical()) && table.columns().contains("attributes")) {
                conditions.add(namedInAttributes(erasure));
            }
            if (conditions.isEmpty()) {
                continue;
            }
            long rows = http.queryOn(table.node(), "SELECT count() AS n FROM " + table.quoted()
                    + " WHERE ifNull(tenant_id, '') = " + literal(erasure.tenantId()) + " AND ("
                    + String.join(" OR ", conditions) + ")").get(0).longValue("n");
            if (rows > 0) {
                found.put(table, rows);
            }
        }
        return found;
    }

    /** The hours of the raw rows naming the subject, and of an erased member's usage rows. */
    private Set<ClickHouseRollups.TenantHour> hours(SubjectErasure erasure) {
        String tenant = literal(erasure.tenantId());
        List<String> selects = new ArrayList<>();
        for (String raw : List.of("events", "calls")) {
            List<String> conditions = new ArrayList<>();
            erasure.columns().stream().filter(column -> !column.equals("call_key"))
                    .forEach(column -> conditions.add(names(column, erasure)));
            conditions.add(namedInAttributes(erasure));
            if (raw.equals("calls") && erasure.subject() == ErasureSubject.CALL_ID) {
                conditions.add(names("id", erasure));
            }
            selects.add("SELECT DISTINCT intDiv(time_ms, " + HOUR_MS + ") AS hour FROM " + raw + " WHERE tenant_id = "
                    + tenant + " AND (" + String.join(" OR ", conditions) + ")");
        }
        if (erasure.subject() == ErasureSubject.MEMBER_ID) {
            selects.add("SELECT DISTINCT hour FROM " + ClickHouseMemberUsage.TABLE + " WHERE tenant_id = " + tenant
                    + " AND " + names("member_id", erasure));
        }
        Set<ClickHouseRollups.TenantHour> hours = new LinkedHashSet<>();
        for (String select : selects) {
            for (Row row : http.query(select)) {
                hours.add(new ClickHouseRollups.TenantHour(erasure.tenantId(), row.longValue("hour")));
            }
        }
        return hours;
    }

    /** {@code , attributes = '{}', body = NULL} for a raw table, with the columns it has (a copy an upgrade left may lack one). */
    private static String scrub(LocalTable table) {
        StringBuilder scrub = new StringBuilder();
        if (RAW_TABLES.contains(table.logical()) && table.columns().contains("attributes")) {
            scrub.append(", attributes = ").append(literal(AttributesJson.write(Map.of())));
        }
        if (RAW_TABLES.contains(table.logical()) && table.columns().contains("body")) {
            scrub.append(", body = NULL");
        }
        return scrub.toString();
    }

    /** The columns of the table that may hold the identifier, key or not. */
    private static List<String> subjectColumns(LocalTable table, SubjectErasure erasure) {
        return erasure.columns().stream().filter(table.columns()::contains).toList();
    }

    /** Whether a table's rows naming the subject are recomputed under the pseudonym rather than copied: rollups by the hour. */
    private static boolean recomputed(LocalTable table) {
        return Set.of(ClickHouseMemberUsage.TABLE, ClickHouseCallPartSums.TABLE, ClickHouseCallCostRows.TABLE)
                .contains(table.logical());
    }

    /**
     * The key column holding the identifier that this erasure removes after copying its rows
     * elsewhere (a member's usage rows are recomputed instead), or null.
     */
    private static String keyedColumn(LocalTable table, SubjectErasure erasure) {
        String logical = table.logical();
        return switch (erasure.subject()) {
            // the calls an upgrade left in their former layout are a copy of what calls holds: deleted, not moved
            case CALL_ID -> Set.of("calls", ClickHouseSchema.CALL_STATES, ClickHouseSchema.CALLS_BEFORE_TIME_ORDER)
                    .contains(logical) ? "id"
                    : Set.of(ClickHouseCallParts.TABLE, ClickHouseCallPartSums.TABLE, ClickHouseCallCostRows.TABLE)
                    .contains(logical) ? "call_key" : null;
            case MEMBER_ID -> logical.equals(ClickHouseChatReferences.OWNERS) ? "owner_id"
                    : logical.equals(ClickHouseMemberUsage.TABLE) ? "member_id" : null;
            case PHONE_NUMBER, USER_EMAIL -> null;
        };
    }

    /**
     * Before anything changes: a key column that may hold the identifier in a table this erasure
     * does not know how to rewrite stops it, rather than leave the identifier there.
     */
    private static void refuseKeyColumns(List<LocalTable> tables, SubjectErasure erasure) {
        for (LocalTable table : tables) {
            for (String column : subjectColumns(table, erasure)) {
                if (table.keyColumns().contains(column) && !column.equals(keyedColumn(table, erasure))) {
                    throw new IllegalStateException(table.name() + "." + column + " is a key column this erasure"
                            + " cannot rewrite; nothing was changed");
                }
            }
        }
    }

    /** The column holds the identifier (a NULL is no match: 18.16 fails a mutation on a NULL condition). */
    private static String names(String column, SubjectErasure erasure) {
        return "ifNull(`" + column + "`, '') = " + literal(erasure.identifier());
    }

    /** An attribute's value is the identifier: matched as the JSON string it is stored as, so only a whole value. */
    private static String namedInAttributes(SubjectErasure erasure) {
        return "position(attributes, " + literal(AttributesJson.quoted(erasure.identifier())) + ") > 0";
    }

    private static String literal(String text) {
        return ClickHouseLiterals.string(text);
    }
}
