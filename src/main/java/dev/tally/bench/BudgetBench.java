package dev.tally.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tally.app.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tally bench budgets}: how timely budgets are, against a server in a child JVM on DuckDB.
 * It measures admission latency with no budget defined and with {@code --budgets} defined (the
 * monitor's in-memory scan is on every admission's path), then, under sustained ingest into the
 * tenants owning those budgets, the delay from the 200 of the ingest request whose event reaches a
 * {@code block_calls} budget's limit to the first admission refused with {@code budget_exhausted}.
 */
@Command(name = "budgets", mixinStandardHelpOptions = true,
        description = "Benchmark budget enforcement: admission overhead and crossing detection delay.")
public final class BudgetBench implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--budgets", defaultValue = "1000", description = "Budgets defined (default ${DEFAULT-VALUE}).")
    int budgets;

    @Option(names = "--tenants", defaultValue = "10",
            description = "Tenants owning the budgets, all under ingest (default ${DEFAULT-VALUE}).")
    int tenants;

    @Option(names = "--admissions", defaultValue = "3000",
            description = "Admissions measured without and with the budgets (default ${DEFAULT-VALUE}).")
    int admissions;

    @Option(names = "--crossings", defaultValue = "20", description = "Budget crossings timed (default ${DEFAULT-VALUE}).")
    int crossings;

    @Option(names = "--ingest-clients", defaultValue = "2",
            description = "Clients sending sustained ingest while crossings are timed (default ${DEFAULT-VALUE}).")
    int ingestClients;

    @Option(names = "--ingest-batch", defaultValue = "500", description = "Events per ingest request (default ${DEFAULT-VALUE}).")
    int ingestBatch;

    @Option(names = "--server-heap", defaultValue = "1g", description = "The server's -Xmx (default ${DEFAULT-VALUE}).")
    String serverHeap;

    @Option(names = "--work-dir", defaultValue = "bench/work-budgets", description = "Scratch files (default ${DEFAULT-VALUE}).")
    Path workDirectory;

    @Option(names = "--out", defaultValue = "bench/results", description = "Where results go (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (budgets < crossings + tenants || tenants < 1 || admissions < 100 || crossings < 1 || ingestClients < 1) {
            throw new ParameterException(spec.commandLine(), "need --tenants ≥ 1, --budgets ≥ --crossings + --tenants,"
                    + " --admissions ≥ 100, --crossings ≥ 1 and --ingest-clients ≥ 1");
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("machine", Machine.describe());
        results.put("versions", Map.of("tally", Version.CURRENT, "java", System.getProperty("java.version")));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("budgets", budgets);
        settings.put("tenants", tenants);
        settings.put("admissions", admissions);
        settings.put("crossings", crossings);
        settings.put("ingest_clients", ingestClients);
        settings.put("ingest_batch", ingestBatch);
        settings.put("server_heap", serverHeap);
        results.put("settings", settings);
        Path work = workDirectory.toAbsolutePath();
        BenchRun.deleteRecursively(work);
        Path data = work.resolve("server-data");
        Files.createDirectories(data);
        int port = BenchCommand.freePort();
        // the admitted calls are never ended: the limit must not be what refuses them
        try (ServerProcess server = new ServerProcess(data, port, BudgetBenchRun.ADMIN_TOKEN, serverHeap,
                List.of("--max-concurrent-calls", "100000000"))) {
            new BudgetBenchRun(this, "http://127.0.0.1:" + port).execute(results);
        }
        Files.createDirectories(out);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path json = out.resolve("results-budgets-" + budgets + ".json");
        mapper.writeValue(json.toFile(), results);
        System.out.println(mapper.writeValueAsString(results));
        System.out.println("written: " + json);
        return 0;
    }
}
