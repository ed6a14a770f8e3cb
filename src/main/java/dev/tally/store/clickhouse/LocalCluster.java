package dev.tally.store.clickhouse;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Local {@code clickhouse-server} processes on free loopback ports, one shard each, forming one
 * {@code remote_servers} cluster: what the tests and {@code tally bench --store clickhouse} run
 * against, so both exercise Distributed tables exactly as in production, minus replication.
 * Without ZooKeeper there is no distributed DDL; the schema is then created on every endpoint,
 * which {@link ClickHouseSchema} does by itself.
 *
 * <p>Needs the {@code clickhouse-server} binary (Debian's 18.16 package, or any later
 * {@code clickhouse}). {@link #close()} kills the servers and deletes their directory.
 */
public final class LocalCluster implements AutoCloseable {
    public static final String CLUSTER = "tally";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;

    private final Path directory;
    private final List<Process> processes = new ArrayList<>();
    private final List<URI> endpoints = new ArrayList<>();

    private LocalCluster(Path directory) {
        this.directory = directory;
    }

    /**
     * Starts {@code shards} servers with their files under {@code directory}; returns once all answer.
     * A port found free can be taken by another process before the server binds it (tests start
     * clusters side by side), so a failed start is tried again on fresh ports.
     */
    public static LocalCluster start(Path directory, int shards) throws IOException {
        return start(directory, shards, LocalCluster::freePort);
    }

    /** As {@link #start(Path, int)}, with the ports from {@code ports}: a test hands out a taken one. */
    static LocalCluster start(Path directory, int shards, PortSource ports) throws IOException {
        for (int attempt = 1; ; attempt++) {
            LocalCluster cluster = new LocalCluster(directory);
            try {
                cluster.startServers(shards, ports);
                return cluster;
            } catch (IOException | RuntimeException failure) {
                cluster.close();
                if (attempt == START_ATTEMPTS) {
                    throw failure;
                }
            }
        }
    }

    /** Where a server's ports come from. */
    @FunctionalInterface
    interface PortSource {
        int next() throws IOException;
    }

    private void startServers(int shards, PortSource portSource) throws IOException {
        String[] command = serverCommand();
        int[][] ports = new int[shards][];
        for (int shard = 0; shard < shards; shard++) {
            ports[shard] = new int[] {portSource.next(), portSource.next(), portSource.next()};
        }
        StringBuilder remoteServers = new StringBuilder("<remote_servers><" + CLUSTER + ">");
        for (int[] shardPorts : ports) {
            remoteServers.append("<shard><replica><host>127.0.0.1</host><port>").append(shardPorts[1])
                    .append("</port></replica></shard>");
        }
        remoteServers.append("</" + CLUSTER + "></remote_servers>");
        List<String> instances = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            Path home = Files.createDirectories(directory.resolve("shard" + (shard + 1)));
            Path users = home.resolve("users.xml");
            Files.writeString(users, USERS);
            Path config = home.resolve("config.xml");
            String instance = UUID.randomUUID().toString();
            instances.add(instance);
            Files.writeString(config, CONFIG.formatted(home, home, ports[shard][0], ports[shard][1],
                    ports[shard][2], home, home, home, users, instance, remoteServers));
            List<String> arguments = new ArrayList<>(List.of(command));
            arguments.add("--config-file=" + config);
            Process process = new ProcessBuilder(arguments)
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("stdout.log").toFile())
                    .start();
            processes.add(process);
            endpoints.add(URI.create("http://127.0.0.1:" + ports[shard][0]));
        }
        for (int shard = 0; shard < shards; shard++) {
            awaitReady(endpoints.get(shard), processes.get(shard), instances.get(shard),
                    directory.resolve("shard" + (shard + 1)));
        }
    }

    public List<URI> endpoints() {
        return List.copyOf(endpoints);
    }

    /** The endpoints as {@code --clickhouse-url} takes them. */
    public String url() {
        return String.join(",", endpoints.stream().map(URI::toString).toList());
    }

    /** The servers' process ids, for reading their memory from {@code /proc}. */
    public List<Long> pids() {
        return processes.stream().map(Process::pid).toList();
    }

    /** True when {@code clickhouse-server} (or {@code clickhouse}) can be found. */
    public static boolean installed() {
        try {
            serverCommand();
            return true;
        } catch (IllegalStateException missing) {
            return false;
        }
    }

    /** {@code clickhouse-server} (Debian) or {@code clickhouse server} (upstream single binary). */
    private static String[] serverCommand() {
        for (String candidate : List.of("/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return new String[] {candidate};
            }
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(directory, "clickhouse-server"))) {
                return new String[] {Path.of(directory, "clickhouse-server").toString()};
            }
            if (Files.isExecutable(Path.of(directory, "clickhouse"))) {
                return new String[] {Path.of(directory, "clickhouse").toString(), "server"};
            }
        }
        throw new IllegalStateException("ClickHouse is not installed: a local cluster needs clickhouse-server"
                + " (apt-get install -y clickhouse-server)");
    }

    /**
     * Waits until the server answers as itself: the port may belong to another server started at
     * the same time (whose answer would mix two clusters), so the reply must name this instance.
     */
    private static void awaitReady(URI endpoint, Process process, String instance, Path home) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        String question = "SELECT substitution FROM system.macros WHERE macro = 'instance'";
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("clickhouse-server exited with " + process.exitValue() + "; see "
                        + home + ": " + tail(home.resolve("stdout.log")) + tail(home.resolve("error.log")));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint.resolve("/"))
                        .timeout(Duration.ofSeconds(1))
                        .POST(HttpRequest.BodyPublishers.ofString(question)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().strip().equals(instance)) {
                    return;
                }
                if (response.statusCode() == 200) {
                    throw new IllegalStateException("another server answers at " + endpoint);
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(interrupted);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(interrupted);
            }
        }
        throw new IllegalStateException("clickhouse-server at " + endpoint + " did not answer within " + START_TIMEOUT
                + "; see " + home + ": " + tail(home.resolve("error.log")));
    }

    private static String tail(Path file) {
        try {
            String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            return text.length() > 2_000 ? text.substring(text.length() - 2_000) : text;
        } catch (IOException unreadable) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Kills the servers (their data is scratch) and deletes their directory; safe to call twice. */
    @Override
    public synchronized void close() {
        stopServers();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a scratch directory left behind is harmless
        }
    }

    /**
     * Kills the servers and leaves their directory to an {@code rm -rf} that outlives this JVM: a
     * cluster shared by a whole test run holds a file per column of every part of every test's
     * database, and deleting them one by one in a shutdown hook outlasted Surefire's 30 s.
     */
    public synchronized void closeAsTheJvmExits() {
        stopServers();
        try {
            new ProcessBuilder("rm", "-rf", directory.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException ignored) {
            // a scratch directory left behind is harmless
        }
    }

    private void stopServers() {
        for (Process process : processes) {
            process.destroyForcibly();
        }
        for (Process process : processes) {
            try {
                process.waitFor();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }

    private static final String CONFIG = """
            <?xml version="1.0"?>
            <yandex>
              <logger>
                <level>warning</level>
                <log>%s/server.log</log>
                <errorlog>%s/error.log</errorlog>
                <size>10M</size>
                <count>1</count>
              </logger>
              <http_port>%d</http_port>
              <tcp_port>%d</tcp_port>
              <interserver_http_port>%d</interserver_http_port>
              <listen_host>127.0.0.1</listen_host>
              <!-- above any pause between a client's requests: a server that closes an idle connection
                   as the client reuses it answers that request with nothing -->
              <keep_alive_timeout>60</keep_alive_timeout>
              <path>%s/data/</path>
              <tmp_path>%s/tmp/</tmp_path>
              <user_files_path>%s/user_files/</user_files_path>
              <users_config>%s</users_config>
              <default_profile>default</default_profile>
              <default_database>default</default_database>
              <mark_cache_size>67108864</mark_cache_size>
              <uncompressed_cache_size>67108864</uncompressed_cache_size>
              <macros><instance>%s</instance></macros>
              %s
            </yandex>
            """;

    private static final String USERS = """
            <?xml version="1.0"?>
            <yandex>
              <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
              <users>
                <default>
                  <password></password>
                  <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
                  <profile>default</profile>
                  <quota>default</quota>
                </default>
              </users>
              <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
                <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
            </yandex>
            """;
}
