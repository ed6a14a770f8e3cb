package dev.tally.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.store.sql.Sql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A reader connection's statements are prepared once, answer with each call's values, and survive schema changes. */
class PreparedReadsTest {

    @Test
    void aStatementIsPreparedOnceAndAnswersWithEachCallsValues() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             PreparedReads reads = new PreparedReads(connection)) {
            execute(connection, "CREATE TABLE numbers AS SELECT range AS n FROM range(10)");
            Sql below = new Sql("SELECT count(*) AS below FROM numbers WHERE n < ?", List.of(3L));
            assertThat(reads.run(below).get(0).longValue("below")).isEqualTo(3);
            assertThat(reads.run(new Sql(below.text(), List.of(7L))).get(0).longValue("below")).isEqualTo(7);
            assertThat(reads.size()).as("one shape, one statement").isEqualTo(1);
            // a write after the statement was prepared is read by its next run
            execute(connection, "INSERT INTO numbers VALUES (1)");
            assertThat(reads.run(below).get(0).longValue("below")).isEqualTo(4);
        }
    }

    @Test
    void aTableMadeAgainWithOtherColumnsIsReadAsItNowStands() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             PreparedReads reads = new PreparedReads(connection)) {
            execute(connection, "CREATE TABLE kept AS SELECT 1 AS a");
            Sql all = new Sql("SELECT * FROM kept", List.of());
            assertThat(reads.run(all).get(0).get("a")).isEqualTo(1);
            execute(connection, "DROP TABLE kept");
            execute(connection, "CREATE TABLE kept AS SELECT 'two' AS b, 3 AS c");
            assertThat(reads.run(all).get(0).get("b")).isEqualTo("two");
            assertThat(reads.size()).isEqualTo(1);
        }
    }

    @Test
    void aFailingQueryFailsAndIsNotKept() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             PreparedReads reads = new PreparedReads(connection)) {
            assertThatThrownBy(() -> reads.run(new Sql("SELECT error('tally: refused') AS x", List.of())))
                    .isInstanceOf(SQLException.class).hasMessageContaining("tally: refused");
            assertThatThrownBy(() -> reads.run(new Sql("SELECT * FROM missing_table", List.of())))
                    .isInstanceOf(SQLException.class).hasMessageContaining("missing_table");
            assertThat(reads.size()).isZero();
        }
    }

    @Test
    void theLeastRecentlyUsedShapesAreDroppedPastTheCapacity() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             PreparedReads reads = new PreparedReads(connection)) {
            Sql first = new Sql("SELECT 0 AS shape", List.of());
            reads.run(first);
            for (int shape = 1; shape <= PreparedReads.CAPACITY + 5; shape++) {
                reads.run(new Sql("SELECT " + shape + " AS shape", List.of()));
                // the first shape, used again each time, stays
                assertThat(reads.run(first).get(0).get("shape")).isEqualTo(0);
            }
            assertThat(reads.size()).isEqualTo(PreparedReads.CAPACITY);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
