package dev.tally.store.clickhouse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes the reports' reads of {@code events} and {@code calls} read {@code FINAL}: rows replaced
 * (a call's newer state) or replayed (a batch written twice by two instances racing) are
 * collapsed to one before any aggregate sees them, so every report answers as if each (tenant, id)
 * were stored once. The reports write portable SQL and never say FINAL themselves; it is added
 * after {@code FROM events} / {@code JOIN calls AS c}, where ClickHouse wants it.
 */
final class FinalReads {
    private static final Pattern TABLE_REFERENCE = Pattern.compile(
            "\\b(FROM|JOIN)(\\s+)(events|calls)\\b(\\s+AS\\s+[A-Za-z_][A-Za-z0-9_]*)?+(?!\\s+FINAL\\b)",
            Pattern.CASE_INSENSITIVE);

    private FinalReads() {
    }

    static String apply(String sql) {
        Matcher matcher = TABLE_REFERENCE.matcher(sql);
        StringBuilder rewritten = new StringBuilder(sql.length() + 32);
        while (matcher.find()) {
            matcher.appendReplacement(rewritten, Matcher.quoteReplacement(matcher.group() + " FINAL"));
        }
        matcher.appendTail(rewritten);
        return rewritten.toString();
    }
}
