package dev.tally.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A tiny {@code bench budgets} run, end to end: its server, every phase, and the result file. */
class BudgetBenchTest {

    @Test
    void measuresAdmissionWithAndWithoutBudgetsAndEveryCrossing(@TempDir Path directory) throws Exception {
        Path out = directory.resolve("out");
        int exit = new CommandLine(new BenchCommand()).execute("budgets", "--budgets", "12", "--tenants", "2",
                "--admissions", "100", "--crossings", "3", "--ingest-clients", "1", "--ingest-batch", "50",
                "--server-heap", "256m", "--work-dir", directory.resolve("work").toString(), "--out", out.toString());
        assertThat(exit).isZero();
        JsonNode results = new ObjectMapper().readTree(out.resolve("results-budgets-12.json").toFile());
        for (String phase : new String[] {"admission_without_budgets", "admission_with_budgets"}) {
            assertThat(results.path(phase).path("admissions").asInt()).as(phase).isEqualTo(100);
            assertThat(results.path(phase).path("rejected").asInt()).as(phase).isZero();
            assertThat(results.path(phase).path("p99_ms").asDouble()).as(phase)
                    .isGreaterThanOrEqualTo(results.path(phase).path("p50_ms").asDouble()).isPositive();
        }
        JsonNode detection = results.path("detection");
        assertThat(detection.path("crossings").asInt()).isEqualTo(3);
        assertThat(detection.path("delays_ms")).hasSize(3);
        // how fast is the API test's to say (BudgetEnforcementApiTest); here, that every crossing was timed
        assertThat(detection.path("max_ms").asDouble()).isGreaterThanOrEqualTo(detection.path("p50_ms").asDouble());
        assertThat(detection.path("ingest_events_per_second").asLong()).isPositive();
    }
}
