package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.store.sql.Row;
import dev.tally.store.sql.Sql;
import dev.tally.store.sql.SqlBuilder;
import dev.tally.testing.ClickHouseCluster;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parameter binding by literals: the rendered text, and what a real server reads back from it. */
class ClickHouseLiteralsTest {
    private static final List<String> HOSTILE_STRINGS = List.of("", "plain", "it's", "back\\slash", "\\'", "'; DROP TABLE events; --",
            "line\nbreak", "tab\there", "cr\rlf", "nul\0byte", "bell\u0007", "del\u007f", "é✓ 😀", "?", "'?'", "--", "/* x */",
            "\\", "\\\\'", "quote \" double", "`back`tick`");

    @Test
    void rendersEachKindOfValue() {
        assertThat(ClickHouseLiterals.literal(null)).isEqualTo("NULL");
        assertThat(ClickHouseLiterals.literal("it's")).isEqualTo("'it\\'s'");
        assertThat(ClickHouseLiterals.literal("a\\b")).isEqualTo("'a\\\\b'");
        assertThat(ClickHouseLiterals.literal("a\nb")).isEqualTo("'a\\nb'");
        assertThat(ClickHouseLiterals.literal(42L)).isEqualTo("42");
        assertThat(ClickHouseLiterals.literal(7)).isEqualTo("7");
        assertThat(ClickHouseLiterals.literal(-5L)).isEqualTo("(-5)");
        assertThat(ClickHouseLiterals.literal(Long.MIN_VALUE)).isEqualTo("toInt64('-9223372036854775808')");
        assertThat(ClickHouseLiterals.literal(0.5)).isEqualTo("0.5");
        assertThat(ClickHouseLiterals.literal(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(ClickHouseLiterals.literal(true)).isEqualTo("1");
        assertThatThrownBy(() -> ClickHouseLiterals.literal(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClickHouseLiterals.literal(new Object())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNegativeValueAfterAMinusIsNotAComment() {
        Sql sql = new SqlBuilder().append("SELECT time_ms -").value(-3L).build();

        assertThat(ClickHouseLiterals.bind(sql)).isEqualTo("SELECT time_ms -(-3)");
    }

    @Test
    void questionMarksInQuotesAndCommentsAreNotPlaceholders() {
        Sql sql = new Sql("SELECT '?' AS a, \"?\" AS b, `?` AS c, 'it\\'s ?' AS d, ? AS e -- ?\n, ? AS f",
                List.of("x", 2L));

        assertThat(ClickHouseLiterals.bind(sql))
                .isEqualTo("SELECT '?' AS a, \"?\" AS b, `?` AS c, 'it\\'s ?' AS d, 'x' AS e -- ?\n, 2 AS f");
    }

    @Test
    void placeholdersAndParametersMustMatch() {
        assertThatThrownBy(() -> ClickHouseLiterals.bind(new Sql("SELECT ?, ?", List.of(1L))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClickHouseLiterals.bind(new Sql("SELECT ?", List.of(1L, 2L))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClickHouseLiterals.bind(new Sql("SELECT 'open", List.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRealServerReadsBackEveryStringAndNumberExactly() {
        ClickHouseHttp http = new ClickHouseHttp(ClickHouseCluster.shared().endpoints(), java.util.Map.of());
        SqlBuilder sql = new SqlBuilder().append("SELECT ");
        for (int index = 0; index < HOSTILE_STRINGS.size(); index++) {
            sql.value(HOSTILE_STRINGS.get(index)).append(" AS s" + index + ", ");
        }
        List<Long> numbers = List.of(0L, 1L, -1L, 255L, -129L, 4_294_967_296L, Long.MAX_VALUE, Long.MIN_VALUE);
        for (int index = 0; index < numbers.size(); index++) {
            sql.append("toInt64(").value(numbers.get(index)).append(") AS n" + index + ", ");
        }
        sql.append("time_ms - ").value(-10L).append(" AS shifted FROM (SELECT toInt64(5) AS time_ms)");

        Row row = http.query(ClickHouseLiterals.bind(sql.build())).get(0);

        for (int index = 0; index < HOSTILE_STRINGS.size(); index++) {
            assertThat(row.string("s" + index)).as(Arrays.toString(HOSTILE_STRINGS.get(index).toCharArray()))
                    .isEqualTo(HOSTILE_STRINGS.get(index));
        }
        for (int index = 0; index < numbers.size(); index++) {
            assertThat(row.longValue("n" + index)).isEqualTo(numbers.get(index));
        }
        assertThat(row.longValue("shifted")).isEqualTo(15);
    }
}
