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
import picocli.CommandLine.Option;

/**
 * {@code tally bench fairness}: one tenant floods ingest and reports with {@code --connections}
 * clients while another sends reports one after another and a trickle of ingest; measured three
 * ways against a server in a child JVM on DuckDB: without limits, with the default limits, and with
 * the flooding tenant given tight limits of its own.
 */
@Command(name = "fairness", mixinStandardHelpOptions = true,
        description = "Benchmark fairness: another tenant's reports and ingest while one tenant floods the server.")
public final class FairnessBench implements Callable<Integer> {

    @Option(names = "--connections", defaultValue = "400", description = "The flooding tenant's clients (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--seconds", defaultValue = "20", description = "Seconds each phase lasts (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--server-heap", defaultValue = "2g", description = "The server's -Xmx (default ${DEFAULT-VALUE}).")
    String serverHeap;

    @Option(names = "--work-dir", defaultValue = "bench/work-fairness", description = "Scratch files (default ${DEFAULT-VALUE}).")
    Path workDirectory;

    @Option(names = "--out", defaultValue = "bench/results", description = "Where results go (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("machine", Machine.describe());
        results.put("versions", Map.of("tally", Version.CURRENT, "java", System.getProperty("java.version")));
        results.put("settings", Map.of("connections", connections, "seconds", seconds, "server_heap", serverHeap));
        Path work = workDirectory.toAbsolutePath();
        BenchRun.deleteRecursively(work);
        Path data = work.resolve("server-data");
        Files.createDirectories(data);
        int port = BenchCommand.freePort();
        try (ServerProcess server = new ServerProcess(data, port, FairnessBenchRun.ADMIN_TOKEN, serverHeap, List.of())) {
            new FairnessBenchRun(this, "http://127.0.0.1:" + port).execute(results);
        }
        Files.createDirectories(out);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path json = out.resolve("results-fairness-" + connections + ".json");
        mapper.writeValue(json.toFile(), results);
        System.out.println(mapper.writeValueAsString(results));
        System.out.println("written: " + json);
        return 0;
    }
}
